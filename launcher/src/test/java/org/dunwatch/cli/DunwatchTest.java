package org.dunwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class DunwatchTest {

  @Test
  void shouldPrintFiguresTheUsWayWhateverTheMachinesLocale() {
    Locale before = Locale.getDefault(Locale.Category.FORMAT);
    try {
      Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
      assertEquals("1.234.567 / 1,5", String.format("%,d / %.1f", 1_234_567, 1.5));

      Dunwatch.formatNumbersTheSameEverywhere();

      assertEquals(Locale.US, Locale.getDefault(Locale.Category.FORMAT));
      assertEquals("1,234,567 / 1.5", String.format("%,d / %.1f", 1_234_567, 1.5));
    } finally {
      Locale.setDefault(Locale.Category.FORMAT, before);
    }
  }
}

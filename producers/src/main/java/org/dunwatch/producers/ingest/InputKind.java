package org.dunwatch.producers.ingest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The three input files of contracts.md, by the name the command line uses for them. */
public enum InputKind {
  CALLS,
  SMS,
  LENDER;

  /** {@code calls}, {@code sms} or {@code lender}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind named {@code calls}, {@code sms} or {@code lender}; {@code null} for another name. */
  public static InputKind ofCliName(String name) {
    for (InputKind k : values()) {
      if (k.cliName().equals(name)) {
        return k;
      }
    }
    return null;
  }

  public static String cliNames() {
    return Arrays.stream(values()).map(InputKind::cliName).collect(Collectors.joining("|"));
  }
}

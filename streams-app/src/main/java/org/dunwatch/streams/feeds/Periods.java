package org.dunwatch.streams.feeds;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;

/** The scorecard periods an instant falls in: its UTC day and its ISO week (Monday to Sunday). */
final class Periods {

  /** One period: its name ({@code 2026-12-07}, {@code 2026-W49}) and {@code [start, end)}. */
  record Period(String name, long start, long end) {}

  private Periods() {}

  static List<Period> of(long time) {
    LocalDate day = Instant.ofEpochMilli(time).atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    String week =
        String.format(
            "%d-W%02d",
            day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    return List.of(
        new Period(day.toString(), millis(day), millis(day.plusDays(1))),
        new Period(week, millis(monday), millis(monday.plusWeeks(1))));
  }

  private static long millis(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}

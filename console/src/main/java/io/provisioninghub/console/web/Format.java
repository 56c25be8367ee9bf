package io.provisioninghub.console.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write times and rates. */
public final class Format {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private Format() {}

  /** A time for people, in UTC; "" for none. */
  public static String time(Instant at) {
    return at == null ? "" : TIME.format(at);
  }

  /** A time for machines ({@code <time datetime>}); "" for none. */
  public static String iso(Instant at) {
    return at == null ? "" : at.toString();
  }

  /** A rate such as 0.125 as "12.5 %". */
  public static String percent(double rate) {
    double percent = Math.round(rate * 1000) / 10.0;
    return (percent == Math.rint(percent)
            ? Long.toString((long) percent)
            : String.format(Locale.ROOT, "%.1f", percent))
        + " %";
  }
}

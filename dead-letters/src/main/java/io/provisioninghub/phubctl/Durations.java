package io.provisioninghub.phubctl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d} or an ISO-8601 duration such as PT36H. */
final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

  private Durations() {}

  static Duration parse(String option, String text, boolean zeroAllowed) {
    Duration d;
    Matcher m = SHORT.matcher(text.trim());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(text.trim());
      } catch (DateTimeParseException e) {
        throw new Phubctl.Failure(
            Phubctl.USAGE,
            option + " " + text + " is not a duration such as 24h, 90m, 7d or PT36H");
      }
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw new Phubctl.Failure(Phubctl.USAGE, option + " must be positive");
    }
    return d;
  }
}

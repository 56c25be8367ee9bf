package io.provisioninghub.graphsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  @Test
  void delaySecondsAndHttpDatesAreRead() {
    assertThat(RetryingHttp.parseRetryAfter("7")).hasValue(Duration.ofSeconds(7));
    assertThat(RetryingHttp.parseRetryAfter(" 0 ")).hasValue(Duration.ZERO);
    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
    assertThat(RetryingHttp.parseRetryAfter(inTenSeconds).orElseThrow())
        .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
    String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusMinutes(1));
    assertThat(RetryingHttp.parseRetryAfter(past)).hasValue(Duration.ZERO);
  }

  @Test
  void nonsenseIsNoDelay() {
    assertThat(RetryingHttp.parseRetryAfter("-3")).isEmpty();
    assertThat(RetryingHttp.parseRetryAfter("soon")).isEmpty();
  }
}

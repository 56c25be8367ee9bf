package io.provisioninghub.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.error.TooManyRequestsException;
import org.junit.jupiter.api.Test;

/** Every 429 and 503 the gateway answers says when to come back, whoever decided it. */
class RetryAfterTest {

  @Test
  void rateLimitAndUnavailableSayTheirOwnWait() {
    assertThat(ScimExceptionMappers.retryAfterSeconds(new TooManyRequestsException("x", 3), 5))
        .isEqualTo(3L);
    assertThat(
            ScimExceptionMappers.retryAfterSeconds(
                new ServiceUnavailableException("x", 7, null), 5))
        .isEqualTo(7L);
  }

  @Test
  void a429Or503DecidedElsewhereGetsTheConfiguredWait() {
    assertThat(ScimExceptionMappers.retryAfterSeconds(new OutcomeException(429, null, "x"), 5))
        .isEqualTo(5L);
    assertThat(ScimExceptionMappers.retryAfterSeconds(new OutcomeException(503, null, "x"), 5))
        .isEqualTo(5L);
  }

  @Test
  void otherStatusesGetNone() {
    assertThat(ScimExceptionMappers.retryAfterSeconds(new ResourceNotFoundException("x"), 5))
        .isNull();
    assertThat(ScimExceptionMappers.retryAfterSeconds(new OutcomeException(409, null, "x"), 5))
        .isNull();
  }
}

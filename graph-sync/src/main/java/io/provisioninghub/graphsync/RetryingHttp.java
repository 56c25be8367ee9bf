package io.provisioninghub.graphsync;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Outbound HTTP to Entra, Graph and the gateway, the same way for all three: a 429 or 503 waits as
 * long as its {@code Retry-After} says (seconds or an HTTP date; 5 s when absent), at most {@code
 * phub.graph-sync.max-retry-after}, and is sent again; connection failures and 502/504 back off
 * exponentially; after {@code max-attempts} the caller gets the last answer or failure. The wait
 * blocks the round's own worker thread, never a loop that spins.
 */
@ApplicationScoped
public class RetryingHttp {

  private static final Logger LOG = Logger.getLogger(RetryingHttp.class);

  private final HttpClient http;
  private final Duration maxRetryAfter;
  private final int maxAttempts;
  private final Duration requestTimeout;
  private final MeterRegistry registry;

  @Inject
  public RetryingHttp(GraphSyncConfig config, MeterRegistry registry) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(config.http().connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        config.maxRetryAfter(),
        config.maxAttempts(),
        config.http().requestTimeout(),
        registry);
  }

  RetryingHttp(
      HttpClient http,
      Duration maxRetryAfter,
      int maxAttempts,
      Duration requestTimeout,
      MeterRegistry registry) {
    this.http = http;
    this.maxRetryAfter = maxRetryAfter;
    this.maxAttempts = maxAttempts;
    this.requestTimeout = requestTimeout;
    this.registry = registry;
  }

  /** A call the retries gave up on, or whose Retry-After was longer than we wait. */
  public static class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * Sends the request until it gets an answer other than 429/502/503/504, or attempts run out.
   *
   * @param target {@code entra}, {@code graph} or {@code scim}: a metric label and log word
   */
  public HttpResponse<String> send(HttpRequest.Builder request, String target) {
    request.timeout(requestTimeout);
    HttpRequest built = request.build();
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(built, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        if (attempt >= maxAttempts) {
          throw new Unavailable(target + " unreachable: " + e.getClass().getSimpleName());
        }
        pause(backoff(attempt), target, "unreachable");
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable(target + ": interrupted");
      }
      int status = response.statusCode();
      boolean throttled = status == 429 || status == 503;
      if (!throttled && status != 502 && status != 504) {
        return response;
      }
      if (attempt >= maxAttempts) {
        return response;
      }
      Duration wait =
          throttled ? retryAfter(response).orElse(Duration.ofSeconds(5)) : backoff(attempt);
      if (wait.compareTo(maxRetryAfter) > 0) {
        throw new Unavailable(
            target + " asked to retry after " + wait.toSeconds() + " s, longer than we wait");
      }
      if (throttled) {
        registry.counter("phub.graph.sync.throttled", "target", target).increment();
      }
      pause(wait, target, Integer.toString(status));
    }
  }

  private static void pause(Duration wait, String target, String why) {
    LOG.debugf("%s answered %s; retrying in %d ms", target, why, wait.toMillis());
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable(target + ": interrupted");
    }
  }

  private static Duration backoff(int attempt) {
    return Duration.ofMillis(Math.min(30_000, 250L << Math.min(attempt, 7)));
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(RetryingHttp::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}

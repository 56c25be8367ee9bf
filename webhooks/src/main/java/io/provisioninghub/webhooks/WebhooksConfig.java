package io.provisioninghub.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Typed configuration of the webhooks service (webhooks/README.md). */
@ConfigMapping(prefix = "phub.webhooks")
public interface WebhooksConfig {

  /**
   * Whether endpoints may be on loopback, private, link-local or unique-local addresses, and use
   * plain http. False in production: receivers are outbound calls from our network.
   */
  @WithDefault("false")
  boolean allowPrivateTargets();

  /** Base64 of the 32-byte AES key that encrypts endpoint secrets at rest; required in prod. */
  Optional<String> secretEncryptionKey();

  /** How long a rotated-out secret still signs deliveries (beside the new one). */
  @WithDefault("PT24H")
  Duration secretOverlap();

  Retry retry();

  Http http();

  /** Attempts run at once, over all endpoints. */
  @WithDefault("8")
  int concurrency();

  /** An endpoint whose deliveries have failed without a success for this long is disabled. */
  @WithDefault("P5D")
  Duration disableAfter();

  /** Retries: exponential backoff with full jitter, over at least {@link #giveUpAfter()}. */
  interface Retry {
    @WithDefault("PT5S")
    Duration firstDelay();

    @WithDefault("PT4H")
    Duration maxDelay();

    /** A delivery not delivered this long after the event is marked failed. */
    @WithDefault("PT25H")
    Duration giveUpAfter();
  }

  /** The outbound HTTP call. */
  interface Http {
    @WithDefault("PT10S")
    Duration connectTimeout();

    @WithDefault("PT10S")
    Duration responseTimeout();

    /** Bytes of a response read at most; the rest is not read. */
    @WithDefault("65536")
    int maxResponseBytes();
  }
}

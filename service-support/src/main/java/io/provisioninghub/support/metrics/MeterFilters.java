package io.provisioninghub.support.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Registry-wide settings of the metrics contract (docs/metrics.md): every meter carries {@code
 * application}, and the services' timers publish histogram buckets so latency quantiles can be
 * computed across instances.
 */
public final class MeterFilters {

  static final String HTTP_SERVER_REQUESTS = "http.server.requests";

  /** What replaces an id in a {@code uri} label. */
  static final String ID = "{id}";

  private static final Pattern UUID_LIKE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /**
   * The {@code le} boundaries of every latency histogram: around the SLO (1 s) and the client's
   * limit (60 s), dense where SCIM requests fall (milliseconds). Fifteen fixed boundaries instead
   * of Micrometer's 70-odd percentile buckets between 1 ms and 60 s: each histogram series costs a
   * fifth of the samples at every scrape, and {@code le="1.0"} names the latency SLO exactly.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private static final double[] LATENCY_BOUNDARIES_NANOS =
      java.util.Arrays.stream(LATENCY_BUCKETS).mapToDouble(d -> (double) d.toNanos()).toArray();

  private MeterFilters() {}

  /** Tags every meter with {@code application} = the service's name. */
  public static MeterFilter commonTags(String application) {
    return MeterFilter.commonTags(Tags.of("application", application));
  }

  /**
   * Latency histograms ({@link #LATENCY_BUCKETS}, 1 ms to 60 s) on the project's timers ({@code
   * phub.*}) and on Quarkus's {@code http.server.requests}; other timers keep their configuration.
   */
  public static MeterFilter timerHistograms() {
    return timerHistograms(true);
  }

  /**
   * Like {@link #timerHistograms()}; with {@code httpServer} false Quarkus's {@code
   * http.server.requests} keeps only its count, sum and max: for a service whose requests a {@code
   * phub.*} timer already records with buckets (the gateway's {@code phub.scim.requests}), a second
   * histogram per route and status would double the scrape for nothing.
   */
  public static MeterFilter timerHistograms(boolean httpServer) {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER
            && (id.getName().startsWith("phub.")
                || (httpServer && id.getName().equals(HTTP_SERVER_REQUESTS)))) {
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(false)
              .serviceLevelObjectives(LATENCY_BOUNDARIES_NANOS)
              .build()
              .merge(config);
        }
        return config;
      }
    };
  }

  /**
   * Route templates, never ids, in the {@code uri} label of {@code http.server.requests}. Quarkus
   * puts the JAX-RS template there when a resource method matched, but the raw path when none did
   * (a method the resource does not allow: 405; a path below a resource), so every id a client
   * sends would make a series of its own. A path segment that is not a plain name (letters, '.',
   * '_', '-' and at most two digits, not starting with a digit, at most 32 characters: {@code v2},
   * {@code .search}, {@code ServiceProviderConfig}) or a template variable becomes {@value #ID}.
   */
  public static MeterFilter uriTemplates() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (!HTTP_SERVER_REQUESTS.equals(id.getName())) {
          return id;
        }
        String uri = id.getTag("uri");
        if (uri == null) {
          return id;
        }
        String template = template(uri);
        return template.equals(uri)
            ? id
            : id.replaceTags(Tags.of(id.getTags()).and("uri", template));
      }
    };
  }

  /** The path with every segment that is not a name replaced by {@value #ID}. */
  static String template(String uri) {
    if (!uri.startsWith("/")) {
      return uri; // NOT_FOUND, REDIRECTION, root
    }
    StringBuilder out = new StringBuilder(uri.length());
    for (String segment : uri.substring(1).split("/", -1)) {
      out.append('/');
      out.append(segment.isEmpty() || isName(segment) ? segment : ID);
    }
    return out.toString();
  }

  /**
   * Each topic once in Kafka's client metrics. Kafka 4 registers every topic-level metric twice:
   * with the topic's name, and (deprecated) with its '.' replaced by '_', so a panel that draws by
   * topic drew each twice and a sum without the topic doubled. The second spelling is dropped: a
   * {@code topic} tag with '_' and no '.' (every topic of this project has a '.' in its name).
   */
  public static MeterFilter kafkaTopicsOnce() {
    return MeterFilter.deny(
        id -> {
          if (!id.getName().startsWith("kafka.")) {
            return false;
          }
          String topic = id.getTag("topic");
          return topic != null && topic.indexOf('_') >= 0 && topic.indexOf('.') < 0;
        });
  }

  private static boolean isName(String segment) {
    if (segment.length() > 32 || UUID_LIKE.matcher(segment).matches()) {
      return false;
    }
    if (segment.startsWith("{") && segment.endsWith("}")) {
      return true;
    }
    if (Character.isDigit(segment.charAt(0))) {
      return false;
    }
    int digits = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || c == '.'
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return digits <= 2;
  }
}

package io.provisioninghub.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One scrape of a Prometheus text exposition ({@code /q/metrics}), parsed into samples. */
record Scrape(List<Sample> samples, Map<String, String> types) {

  /** A sample line: series name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Scrape of(String managementUrl) {
    return parse(text(managementUrl));
  }

  /** The exposition text of {@code /q/metrics} on the management port. */
  static String text(String managementUrl) {
    return textAt(managementUrl + "/q/metrics");
  }

  /** The exposition text at a full metrics URL (an exporter's {@code /metrics}). */
  static String textAt(String metricsUrl) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(metricsUrl))
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "text/plain")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(metricsUrl + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(metricsUrl + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).trim().split(" ");
        if (parts.length == 2) {
          types.put(parts[0], parts[1]);
        }
        continue;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(sample(line));
    }
    return new Scrape(samples, types);
  }

  private static Sample sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char n = line.charAt(++j);
            value.append(n == 'n' ? '\n' : n);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String[] rest = line.substring(i).trim().split(" ");
    return new Sample(name, labels, number(rest[0]));
  }

  /** A sample value of the text format: a decimal, {@code NaN}, {@code +Inf} or {@code -Inf}. */
  private static double number(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(value);
    };
  }

  /** Every series name of the scrape, plus the family names of its histograms and summaries. */
  Set<String> names() {
    Set<String> names = new HashSet<>(types.keySet());
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  List<Sample> series(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** The sum of the values of the matching series, or empty if there is none. */
  Optional<Double> value(String name, Map<String, String> labels) {
    List<Sample> matching = series(name, labels);
    return matching.isEmpty()
        ? Optional.empty()
        : Optional.of(matching.stream().mapToDouble(Sample::value).sum());
  }
}

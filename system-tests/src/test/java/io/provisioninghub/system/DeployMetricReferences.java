package io.provisioninghub.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The metric names the dashboards ({@code deploy/grafana/dashboards/*.json}, every {@code expr})
 * and the Prometheus rules ({@code deploy/prometheus/rules/*.yml}, every {@code expr}) read,
 * without the recording rules those files define themselves and Prometheus's own series.
 */
record DeployMetricReferences(List<Path> files, Set<String> names) {

  /** Series Prometheus itself creates (scrape and alert state), not scraped from a service. */
  static final Set<String> BUILT_INS =
      Set.of(
          "up",
          "ALERTS",
          "ALERTS_FOR_STATE",
          "scrape_duration_seconds",
          "scrape_samples_scraped",
          "scrape_samples_post_metric_relabeling",
          "scrape_series_added");

  static DeployMetricReferences read(Path root) {
    List<Path> files = new ArrayList<>();
    files.addAll(list(root.resolve("deploy/grafana/dashboards"), ".json"));
    files.addAll(list(root.resolve("deploy/prometheus/rules"), ".yml"));
    files.addAll(list(root.resolve("deploy/prometheus/rules"), ".yaml"));
    Set<String> referenced = new TreeSet<>();
    Set<String> recorded = new TreeSet<>();
    ObjectMapper json = new ObjectMapper();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    for (Path file : files) {
      try {
        JsonNode tree =
            file.toString().endsWith(".json")
                ? json.readTree(file.toFile())
                : yaml.readTree(file.toFile());
        collect(tree, referenced, recorded);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    referenced.removeAll(recorded);
    referenced.removeAll(BUILT_INS);
    return new DeployMetricReferences(files, referenced);
  }

  private static void collect(JsonNode node, Set<String> referenced, Set<String> recorded) {
    if (node == null) {
      return;
    }
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                  referenced.addAll(PromQl.metricNames(e.getValue().asText()));
                } else if (e.getKey().equals("record") && e.getValue().isTextual()) {
                  recorded.add(e.getValue().asText());
                } else {
                  collect(e.getValue(), referenced, recorded);
                }
              });
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, referenced, recorded));
    }
  }

  private static List<Path> list(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a referenced name is exposed: as a series, or as the family of a histogram/summary
   * series (name_bucket, name_count, name_sum).
   */
  static boolean exposed(String name, Set<String> scraped) {
    if (scraped.contains(name)) {
      return true;
    }
    for (String suffix : List.of("_bucket", "_count", "_sum")) {
      if (name.endsWith(suffix)
          && scraped.contains(name.substring(0, name.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }
}

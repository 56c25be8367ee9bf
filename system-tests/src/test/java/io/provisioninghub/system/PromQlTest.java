package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void histogramQuantileWithGroupingAndGrafanaInterval() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, operation) ("
                    + "rate(phub_scim_requests_seconds_bucket{job=\"scim-gateway\","
                    + " outcome!=\"server_error\"}[$__rate_interval])))"))
        .containsExactly("phub_scim_requests_seconds_bucket");
  }

  @Test
  void binaryOperatorsVectorMatchingAndNumbers() {
    assertThat(
            PromQl.metricNames(
                "sum(rate(phub_auth_failures_total[5m])) / ignoring(reason) group_left"
                    + " sum(rate(phub_scim_requests_seconds_count[5m])) > 0.05 and on(instance)"
                    + " up == 1 unless absent(phub_gateway_pending_replies) offset 1h30m"))
        .containsExactly(
            "phub_auth_failures_total",
            "phub_scim_requests_seconds_count",
            "up",
            "phub_gateway_pending_replies");
  }

  @Test
  void labelNamesStringsAndAggregationClausesAreNotMetricNames() {
    assertThat(
            PromQl.metricNames(
                "topk(5, sum without (instance) (increase("
                    + "phub_scim_tenant_requests_total{tenant=~\"$tenant\", outcome='failure'}[1h])))"
                    + " * on (tenant) group_right label_replace(vector(1), \"x\", \"y\", \"z\", \"w\")"))
        .containsExactly("phub_scim_tenant_requests_total");
  }

  @Test
  void recordingRuleNamesAndScientificNumbers() {
    assertThat(
            PromQl.metricNames(
                "job:phub_processor_apply_seconds:rate5m > 1e-3 or"
                    + " phub_kafka_consumer_lag_records{group=\"audit-log\"} >= 1e3"))
        .containsExactly(
            "job:phub_processor_apply_seconds:rate5m", "phub_kafka_consumer_lag_records");
  }

  @Test
  void subqueriesAndAtModifier() {
    assertThat(PromQl.metricNames("max_over_time(phub_audit_ingest_lag_seconds[30m:1m]) > bool 60"))
        .containsExactly("phub_audit_ingest_lag_seconds");
  }

  @Test
  void deployFilesYieldTheirExpressionsMinusRecordingRulesAndBuiltIns(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
    java.nio.file.Path dashboards = root.resolve("deploy/grafana/dashboards");
    java.nio.file.Path rules = root.resolve("deploy/prometheus/rules");
    java.nio.file.Files.createDirectories(dashboards);
    java.nio.file.Files.createDirectories(rules);
    java.nio.file.Files.writeString(
        dashboards.resolve("gateway.json"),
        "{\"panels\":[{\"targets\":[{\"expr\":\"sum(rate(phub_scim_requests_seconds_count[5m]))"
            + " / sum(up{job=\\\"x\\\"})\"}]},"
            + "{\"panels\":[{\"targets\":[{\"expr\":\"job:scim_errors:ratio5m\"}]}]}]}");
    java.nio.file.Files.writeString(
        rules.resolve("phub.yml"),
        """
        groups:
          - name: phub
            rules:
              - record: job:scim_errors:ratio5m
                expr: |
                  sum by (job) (rate(phub_scim_requests_seconds_count{outcome="server_error"}[5m]))
              - alert: AuditLagging
                expr: phub_audit_ingest_lag_seconds > 300 and ALERTS{alertname="x"}
        """);

    DeployMetricReferences refs = DeployMetricReferences.read(root);

    assertThat(refs.files()).hasSize(2);
    assertThat(refs.names())
        .containsExactly("phub_audit_ingest_lag_seconds", "phub_scim_requests_seconds_count");
    assertThat(
            DeployMetricReferences.exposed(
                "phub_scim_requests_seconds_count", java.util.Set.of("phub_scim_requests_seconds")))
        .isTrue();
    assertThat(DeployMetricReferences.exposed("phub_missing_total", java.util.Set.of("up")))
        .isFalse();
  }

  @Test
  void noDeployFilesIsEmpty(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root) {
    assertThat(DeployMetricReferences.read(root).files()).isEmpty();
  }

  @Test
  void scrapeParsesLabelsWithEscapes() {
    Scrape scrape =
        Scrape.parse(
            """
            # TYPE phub_auth_failures_total counter
            phub_auth_failures_total{application="scim-gateway",reason="unknown"} 3.0
            x_bucket{le="+Inf",path="a\\"b,c"} 7
            process_cpu_usage 0.25
            """);
    assertThat(scrape.value("phub_auth_failures_total", java.util.Map.of("reason", "unknown")))
        .contains(3.0);
    assertThat(scrape.series("x_bucket", java.util.Map.of("path", "a\"b,c"))).hasSize(1);
    assertThat(scrape.names()).contains("process_cpu_usage", "phub_auth_failures_total");
  }
}

package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.provisioninghub.bench.Bench;
import org.junit.jupiter.api.Test;

/**
 * Keeps the load generator from rotting: each workload for a few seconds at a low open-loop rate,
 * asserting only that no request failed. Timings are measured by the harness, never asserted.
 */
class BenchSmokeIT {

  @Test
  void everyWorkloadRunsWithoutErrors() throws Exception {
    assumeTrue(System.getProperty("phub.scim.base-url") == null, "runs against the started system");
    Scim scim = SystemUnderTest.get().tenantA;
    String baseUrl = scim.baseUrl();
    String token = scim.token();
    String[] common = {
      "--base-url",
      baseUrl,
      "--token",
      token,
      "--stack-dir",
      "target/no-stack",
      "--duration",
      "2s",
      "--warmup",
      "0s",
      "--connections",
      "2",
      "--rate",
      "20",
      "--users",
      "10",
      "--tenants",
      "2",
      "--groups",
      "2",
      "--members",
      "5",
      "--batch",
      "2",
      "--pg-baseline",
      "false",
      "--output",
      "target/bench-smoke"
    };
    for (String workload :
        new String[] {
          "read-heavy",
          "read-filter",
          "create-users",
          "patch-users",
          "entra-initial-sync",
          "bulk-initial-sync",
          "entra-incremental"
        }) {
      String[] args = java.util.Arrays.copyOf(common, common.length + 2);
      args[common.length] = "--workload";
      args[common.length + 1] = workload;
      assertThat(Bench.run(args)).as(workload).isZero();
    }
    // Webhook fan-out needs the webhooks service and an admin token.
    SystemUnderTest sut = SystemUnderTest.get();
    var webhooks = sut.webhooks();
    webhooks.awaitReady(java.time.Duration.ofSeconds(120));
    String[] fanout = java.util.Arrays.copyOf(common, common.length + 6);
    fanout[common.length] = "--workload";
    fanout[common.length + 1] = "webhook-fanout";
    fanout[common.length + 2] = "--webhooks-base-url";
    fanout[common.length + 3] = webhooks.baseUrl() + "/admin/v1/webhooks";
    fanout[common.length + 4] = "--admin-token";
    fanout[common.length + 5] = sut.adminToken();
    assertThat(Bench.run(fanout)).as("webhook-fanout").isZero();
  }
}

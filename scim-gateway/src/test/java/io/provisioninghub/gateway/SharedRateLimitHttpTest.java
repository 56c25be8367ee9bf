package io.provisioninghub.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway started with {@code phub.gateway.rate-limit.shared=true} decides by the tenant's row in
 * {@code scim.rate_limit_buckets}, over HTTP, with {@code Retry-After} on every 429.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@TestProfile(SharedRateLimitHttpTest.Shared.class)
class SharedRateLimitHttpTest {

  /** The shared limit on; a generous timeout so that a loaded test machine still asks the store. */
  public static class Shared implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "phub.gateway.rate-limit.shared", "true",
          "phub.gateway.rate-limit.shared-timeout", "PT2S");
    }
  }

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @BeforeAll
  static void schema() throws Exception {
    ScimSchema.ensure();
  }

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
  }

  @Test
  void theTenantsSharedBucketDecides() throws Exception {
    String tenant = "rate-shared-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, new RateLimit(1, 5));

    List<Response> responses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      responses.add(
          RestAssured.given()
              .header("Authorization", "Bearer " + secret)
              .get("/scim/v2/ServiceProviderConfig"));
    }

    // The burst of 5, less what onboarding's probes took, plus what refilled at 1/s meanwhile.
    long admitted = responses.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(admitted).isBetween(2L, 6L);
    assertThat(responses.subList(7, 10))
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(429);
              assertThat(r.header("Retry-After")).isEqualTo("1");
            });
    // The bucket that decided is the shared one: its row is (nearly) empty.
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement select =
            c.prepareStatement("select tokens from scim.rate_limit_buckets where tenant_id = ?")) {
      select.setString(1, tenant);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).as("the tenant's shared bucket").isTrue();
        assertThat(rs.getDouble(1)).isLessThan(1.0);
      }
    }
  }
}

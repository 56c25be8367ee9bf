package io.provisioninghub.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.gateway.auth.RateLimiter;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The default rate limit over HTTP: an Entra-like job and a validation burst at once get no 429,
 * and every 429, whatever the endpoint and method, carries {@code Retry-After}.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class RateLimitTest {

  @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
  java.net.URL ready;

  @BeforeEach
  void awaitReady() {
    await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get(ready).statusCode() == 200);
  }

  /**
   * One job at 25 requests/s (Microsoft's required rate per tenant) for six seconds and, one second
   * in, two validation bursts of 100 requests over 10 connections, one second apart: with the
   * default limit, none is refused. (A limit on the 25/s floor refuses most of the second burst:
   * the job takes the whole refill, so the bucket the first burst emptied stays empty.)
   */
  @Test
  void defaultLimitLetsAJobAtPeakAndValidationBurstsThroughWithout429() throws Exception {
    String tenant = "rate-default-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, RateLimiter.DEFAULT);

    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicInteger jobSent = new AtomicInteger();
    ScheduledExecutorService job = Executors.newScheduledThreadPool(4);
    ExecutorService validation = Executors.newFixedThreadPool(10);
    try {
      job.scheduleAtFixedRate(
          () -> {
            if (jobSent.getAndIncrement() < 150) {
              statuses.add(userRead(secret));
            }
          },
          0,
          40,
          TimeUnit.MILLISECONDS);
      for (int run = 0; run < 2; run++) {
        int sentBefore = jobSent.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> jobSent.get() >= sentBefore + 25);
        List<Future<?>> burst = new ArrayList<>();
        for (int connection = 0; connection < 10; connection++) {
          burst.add(
              validation.submit(
                  () -> {
                    for (int i = 0; i < 10; i++) {
                      statuses.add(validationRequest(secret, i));
                    }
                  }));
        }
        for (Future<?> f : burst) {
          f.get(30, TimeUnit.SECONDS);
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> statuses.size() >= 350);
    } finally {
      job.shutdownNow();
      validation.shutdownNow();
    }
    assertThat(statuses).hasSize(350).doesNotContain(429);
  }

  @Test
  void every429CarriesRetryAfterWhateverTheEndpointAndMethod() {
    String tenant = "rate-retry-after-" + UUID.randomUUID();
    String secret = TestTenants.newSecret();
    TestTenants.onboard(tenant, secret, new RateLimit(1, 1));
    String id = UUID.randomUUID().toString();
    Map<String, Function<RequestSpecification, Response>> requests = new LinkedHashMap<>();
    requests.put("GET user", r -> r.get("/scim/v2/Users/" + id));
    requests.put("GET list", r -> r.queryParam("filter", "userName eq").get("/scim/v2/Users"));
    requests.put("GET groups", r -> r.get("/scim/v2/Groups"));
    requests.put("GET ServiceProviderConfig", r -> r.get("/scim/v2/ServiceProviderConfig"));
    requests.put("GET schemas (lower case)", r -> r.get("/scim/v2/schemas"));
    requests.put("GET ResourceTypes", r -> r.get("/scim/v2/ResourceTypes"));
    requests.put("POST user", r -> r.body("{").post("/scim/v2/Users"));
    requests.put("PUT user", r -> r.body("{").put("/scim/v2/Users/" + id));
    requests.put("PATCH group", r -> r.body("{").patch("/scim/v2/Groups/" + id));
    requests.put("DELETE user", r -> r.delete("/scim/v2/Users/not-a-uuid"));
    for (Map.Entry<String, Function<RequestSpecification, Response>> request :
        requests.entrySet()) {
      Response limited = null;
      for (int attempt = 0; attempt < 20 && limited == null; attempt++) {
        Response response =
            request
                .getValue()
                .apply(given().auth().oauth2(secret).contentType("application/scim+json"));
        if (response.statusCode() == 429) {
          limited = response;
        }
      }
      assertThat(limited).as(request.getKey() + " is refused over the limit").isNotNull();
      assertThat(limited.header("Retry-After"))
          .as(request.getKey() + " says when to come back")
          .isNotNull()
          .matches("[1-9][0-9]*");
      assertThat(limited.contentType()).startsWith("application/scim+json");
      assertThat(limited.jsonPath().getString("status")).isEqualTo("429");
    }
  }

  private static int userRead(String secret) {
    return given().auth().oauth2(secret).get("/scim/v2/Users/not-a-uuid").statusCode();
  }

  /** What a validator asks: discovery, reads, and a create it expects to be refused. */
  private static int validationRequest(String secret, int i) {
    RequestSpecification request = given().auth().oauth2(secret);
    return switch (i % 5) {
      case 0 -> request.get("/scim/v2/ServiceProviderConfig").statusCode();
      case 1 -> request.get("/scim/v2/Schemas").statusCode();
      case 2 -> request.get("/scim/v2/ResourceTypes").statusCode();
      case 3 -> request.get("/scim/v2/Users/not-a-uuid").statusCode();
      default ->
          request
              .contentType("application/scim+json")
              .body("{")
              .post("/scim/v2/Users")
              .statusCode();
    };
  }
}

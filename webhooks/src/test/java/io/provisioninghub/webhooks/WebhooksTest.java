package io.provisioninghub.webhooks;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The webhooks service on the real broker and database, delivering to a real HTTP receiver:
 * signatures verify as a receiver checks them, a receiver that answers 500, times out or is down
 * for a while gets every event once it accepts, in order per resource, a tenant's endpoint never
 * sees another tenant's events, redelivery and secret rotation work, and secrets are neither shown
 * again nor stored in plaintext.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AdminJwtTestResource.class)
class WebhooksTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String CREATED = "io.provisioninghub.user.created.v1";
  private static final String UPDATED = "io.provisioninghub.user.updated.v1";

  @Test
  void signedDeliveriesVerifyAndATenantsEndpointSeesOnlyItsTenant() throws Exception {
    String a = tenant();
    String b = tenant();
    try (Receiver forA = new Receiver();
        Receiver witness = new Receiver()) {
      JsonPath endpoint = register(forA.url(), a, List.of());
      String secret = endpoint.getString("secret");
      assertThat(secret).startsWith("whsec_");
      register(witness.url(), null, List.of(CREATED));
      String ofB = publish(b, UUID.randomUUID().toString(), CREATED);
      String ofA = publish(a, UUID.randomUUID().toString(), CREATED);
      String updateOfA = publish(a, UUID.randomUUID().toString(), UPDATED);

      await().atMost(WAIT).until(() -> forA.accepted().size() == 2);
      await().atMost(WAIT).until(() -> witness.accepted().containsAll(List.of(ofA, ofB)));
      assertThat(forA.accepted()).containsExactlyInAnyOrder(ofA, updateOfA);
      assertThat(witness.accepted()).doesNotContain(updateOfA);
      for (Receiver.Received r : forA.requests) {
        assertThat(verifies(secret, r)).as("signature of %s", r.id()).isTrue();
        JsonPath body = JsonPath.from(r.body());
        assertThat(body.getString("specversion")).isEqualTo("1.0");
        assertThat(body.getString("id")).isEqualTo(r.id());
        assertThat(body.getString("data.tenantId")).isEqualTo(a);
      }
      // A body changed in transit does not verify.
      Receiver.Received first = forA.requests.get(0);
      assertThat(
              verifies(
                  secret,
                  new Receiver.Received(
                      first.id(), first.timestamp(), first.signature(), first.body() + " ", 200)))
          .isFalse();

      // Shown once: never again by the API, and not stored in plaintext.
      String id = endpoint.getString("id");
      assertThat(admin().get("/admin/v1/webhooks/endpoints/" + id).asString())
          .doesNotContain(secret);
      assertThat(new String(storedSecret(id), StandardCharsets.ISO_8859_1))
          .doesNotContain(secret)
          .doesNotContain(secret.substring("whsec_".length()));
    }
  }

  @Test
  void aFailingThenSlowReceiverGetsEveryEventOnceInOrderPerResource() throws Exception {
    String t = tenant();
    String resource = UUID.randomUUID().toString();
    try (Receiver receiver = new Receiver()) {
      String id = register(receiver.url(), t, List.of()).getString("id");
      receiver.answer(500, 503);
      receiver.hang(1);
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        sent.add(publish(t, resource, i == 0 ? CREATED : UPDATED));
      }
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 4);
      assertThat(receiver.accepted()).containsExactlyElementsOf(sent);
      // The first event took four attempts (a timeout, 500, 503, 200); the log says so.
      JsonPath log =
          admin()
              .get("/admin/v1/webhooks/endpoints/" + id + "/deliveries?eventId=" + sent.get(0))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(log.getString("items[0].status")).isEqualTo("delivered");
      assertThat(log.<Integer>getList("items[0].log.httpStatus"))
          .containsExactly(null, 500, 503, 200);
      assertThat(log.getString("items[0].log[0].error")).containsIgnoringCase("timed out");
      assertThat(log.getInt("items[0].log[3].latencyMs")).isGreaterThanOrEqualTo(0);
      assertThat(log.getString("items[0].log[3].response")).contains(sent.get(0));
    }
  }

  @Test
  void aReceiverDownForAWhileGetsEverythingInOrderOnceBack() throws Exception {
    String t = tenant();
    List<String> r1 = new ArrayList<>();
    List<String> r2 = new ArrayList<>();
    try (Receiver receiver = new Receiver()) {
      String id = register(receiver.url(), t, List.of()).getString("id");
      receiver.stop();
      String one = UUID.randomUUID().toString();
      String two = UUID.randomUUID().toString();
      for (int i = 0; i < 3; i++) {
        r1.add(publish(t, one, i == 0 ? CREATED : UPDATED));
        r2.add(publish(t, two, i == 0 ? CREATED : UPDATED));
      }
      // Refused connections are recorded and retried, nothing is lost.
      await()
          .atMost(WAIT)
          .until(
              () ->
                  admin()
                      .get("/admin/v1/webhooks/endpoints/" + id + "/deliveries?status=pending")
                      .jsonPath()
                      .getList("items.log.error")
                      .toString()
                      .contains("ConnectException"));
      receiver.restart();
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 6);
      List<String> accepted = receiver.accepted();
      assertThat(accepted.stream().filter(r1::contains).toList()).containsExactlyElementsOf(r1);
      assertThat(accepted.stream().filter(r2::contains).toList()).containsExactlyElementsOf(r2);
    }
  }

  @Test
  void redeliveryAndARotatedSecretsOverlap() throws Exception {
    String t = tenant();
    try (Receiver receiver = new Receiver()) {
      JsonPath endpoint = register(receiver.url(), t, List.of());
      String id = endpoint.getString("id");
      String oldSecret = endpoint.getString("secret");
      String event = publish(t, UUID.randomUUID().toString(), CREATED);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);

      assertThat(
              admin()
                  .body(Map.of("eventId", event))
                  .post("/admin/v1/webhooks/endpoints/" + id + "/redeliver")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getInt("queued"))
          .isEqualTo(1);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
      assertThat(receiver.accepted()).containsExactly(event, event);

      String newSecret =
          admin()
              .post("/admin/v1/webhooks/endpoints/" + id + "/rotate-secret")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getString("secret");
      assertThat(newSecret).isNotEqualTo(oldSecret);
      String next = publish(t, UUID.randomUUID().toString(), CREATED);
      await().atMost(WAIT).until(() -> receiver.accepted().contains(next));
      Receiver.Received rotated =
          receiver.requests.stream().filter(r -> r.id().equals(next)).findFirst().orElseThrow();
      assertThat(rotated.signature().split(" ")).hasSize(2);
      assertThat(verifies(newSecret, rotated)).isTrue();
      assertThat(verifies(oldSecret, rotated)).isTrue();
    }
  }

  @Test
  void anEndpointThatKeepsFailingIsDisabledAndTheMetricsSaySo() throws Exception {
    String t = tenant();
    try (Receiver receiver = new Receiver()) {
      String id = register(receiver.url(), t, List.of()).getString("id");
      for (int i = 0; i < 200; i++) {
        receiver.answer(500);
      }
      publish(t, UUID.randomUUID().toString(), CREATED);
      // phub.webhooks.disable-after is 10 s in tests (5 days in production).
      await()
          .atMost(WAIT)
          .until(
              () ->
                  !admin()
                      .get("/admin/v1/webhooks/endpoints/" + id)
                      .jsonPath()
                      .getBoolean("enabled"));
      JsonPath endpoint = admin().get("/admin/v1/webhooks/endpoints/" + id).jsonPath();
      assertThat(endpoint.getString("disabledReason")).startsWith("every delivery failed since");
      assertThat(endpoint.getString("disabledAt")).isNotNull();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                String scrape = given().get(metrics).asString();
                return scrape.contains("phub_webhook_attempts_total{")
                    && scrape.contains("endpoint=\"" + id + "\"")
                    && scrape.contains("outcome=\"retry\"")
                    && scrape.contains("phub_webhook_backlog_records{")
                    && scrape.matches("(?s).*phub_webhook_endpoints_disabled\\{[^}]*} [1-9].*");
              });
      // Enabled again by the operator: the delivery that waited goes out once the receiver accepts.
      receiver.clearPlan();
      admin()
          .body(Map.of("enabled", true))
          .patch("/admin/v1/webhooks/endpoints/" + id)
          .then()
          .statusCode(200);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
    }
  }

  @jakarta.inject.Inject io.provisioninghub.webhooks.delivery.Dispatcher dispatcher;

  /**
   * A delivery waiting behind a failing one of its resource is not due: the dispatcher sleeps until
   * the failing one's retry (at most a second apart in tests), it does not spin on the waiting one.
   */
  @Test
  void aDeliveryBlockedBehindItsResourceDoesNotMakeTheDispatcherSpin() throws Exception {
    String t = tenant();
    String resource = UUID.randomUUID().toString();
    try (Receiver receiver = new Receiver()) {
      String id = register(receiver.url(), t, List.of()).getString("id");
      for (int i = 0; i < 100; i++) {
        receiver.answer(500);
      }
      publish(t, resource, CREATED);
      publish(t, resource, UPDATED);
      await().atMost(WAIT).until(() -> receiver.requests.size() >= 2);
      long start = dispatcher.rounds();
      // Over 3 s: a retry about every second, each waking the loop a few times; a spin on the
      // blocked delivery is a round every 10 ms, some 300.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> dispatcher.rounds() - start < 100);
      assertThat(receiver.requests.stream().map(Receiver.Received::id).distinct()).hasSize(1);
      admin().delete("/admin/v1/webhooks/endpoints/" + id).then().statusCode(204);
      REGISTERED.remove(id);
    }
  }

  @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
  java.net.URL metrics;

  @Test
  void anEventTheDatabaseRefusesIsSetAsideAndTheOthersAreDelivered() throws Exception {
    String t = tenant();
    String resource = UUID.randomUUID().toString();
    try (Receiver receiver = new Receiver()) {
      register(receiver.url(), t, List.of());
      // A forged record whose id holds a NUL, which PostgreSQL text cannot store.
      publishWithId(t, resource, CREATED, "bad\u0000" + UUID.randomUUID());
      String good = publish(t, resource, UPDATED);
      await().atMost(WAIT).until(() -> receiver.accepted().contains(good));
      assertThat(receiver.accepted()).containsExactly(good);
    }
  }

  @Test
  void theAdminApiNeedsTheAdminRoleAndRefusesBadInput() {
    given().get("/admin/v1/webhooks/endpoints").then().statusCode(401);
    given()
        .auth()
        .oauth2(AdminJwtTestResource.other())
        .get("/admin/v1/webhooks/endpoints")
        .then()
        .statusCode(403);
    admin()
        .body(Map.of("url", "ftp://x.example"))
        .post("/admin/v1/webhooks/endpoints")
        .then()
        .statusCode(400);
    admin()
        .body(Map.of("url", "http://127.0.0.1:1/x", "eventTypes", List.of("nope")))
        .post("/admin/v1/webhooks/endpoints")
        .then()
        .statusCode(400);
    admin().get("/admin/v1/webhooks/endpoints/" + UUID.randomUUID()).then().statusCode(404);
  }

  private static boolean verifies(String secret, Receiver.Received r) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(
            Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    String expected =
        Base64.getEncoder()
            .encodeToString(
                mac.doFinal(
                    (r.id() + "." + r.timestamp() + "." + r.body())
                        .getBytes(StandardCharsets.UTF_8)));
    for (String signature : r.signature().split(" ")) {
      if (signature.equals("v1," + expected)) {
        return true;
      }
    }
    return false;
  }

  /** Endpoints a test registered: removed after it, so no test's receiver outlives its test. */
  private static final List<String> REGISTERED = new java.util.concurrent.CopyOnWriteArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void removeEndpoints() {
    for (String id : REGISTERED) {
      admin().delete("/admin/v1/webhooks/endpoints/" + id);
    }
    REGISTERED.clear();
  }

  private static JsonPath register(String url, String tenant, List<String> types) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("url", url);
    if (tenant != null) {
      body.put("tenantId", tenant);
    }
    body.put("eventTypes", types);
    JsonPath registered =
        admin()
            .body(body)
            .post("/admin/v1/webhooks/endpoints")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    REGISTERED.add(registered.getString("id"));
    return registered;
  }

  /** Publishes an event as the processor does; its id. */
  private static String publish(String tenant, String resource, String type) {
    return publishWithId(tenant, resource, type, UUID.randomUUID() + "-0");
  }

  private static String publishWithId(String tenant, String resource, String type, String id) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
    headers.add(
        "ce_source", ("/provisioninghub/tenants/" + tenant).getBytes(StandardCharsets.UTF_8));
    headers.add("ce_subject", resource.getBytes(StandardCharsets.UTF_8));
    headers.add("ce_time", Instant.now().toString().getBytes(StandardCharsets.UTF_8));
    String data =
        "{\"formatVersion\":1,\"event\":\"UserCreated\",\"tenantId\":\""
            + tenant
            + "\",\"resourceId\":\""
            + resource
            + "\",\"version\":1,\"changedAttributes\":[]}";
    TopicProbe.send(
        Infrastructure.shared().kafka().bootstrapServers(),
        Topics.EVENTS,
        tenant + "/" + resource,
        data.getBytes(StandardCharsets.UTF_8),
        headers);
    return id;
  }

  private static byte[] storedSecret(String endpoint) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement ps =
            c.prepareStatement("select secret from webhooks.endpoints where id = ?::uuid")) {
      ps.setString(1, endpoint);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }

  private static String tenant() {
    return "hooks-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static RequestSpecification admin() {
    return given().auth().oauth2(AdminJwtTestResource.admin()).contentType("application/json");
  }
}

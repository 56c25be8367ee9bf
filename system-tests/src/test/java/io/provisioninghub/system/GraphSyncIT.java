package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.testkit.GraphSimulator;
import io.provisioninghub.testkit.ServiceProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Microsoft Graph delta sync end to end on the production jars (issue 20 point 2): a generated
 * directory of 200 users and 10 groups (the Graph simulator) synced into a fresh tenant through
 * graph-sync → gateway → processor, read back through the tenant's own SCIM API and the audit log
 * (source graph); then an incremental round with an update, a disable, a soft and a hard delete and
 * membership changes, throttled once by Graph; then a round whose delta links expired.
 */
class GraphSyncIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aDirectorySyncsThenItsChangesFollowThroughTheSamePipeline() throws Exception {
    SystemUnderTest sut = SystemUnderTest.get();
    Assumptions.assumeTrue(sut.ownsSystem(), "needs the services this JVM started");
    try (GraphSimulator graph = GraphSimulator.start(200, 10, 2026L)) {
      ServiceProcess sync = sut.graphSync(graph.authorityUrl(), graph.graphUrl());
      sync.awaitReady(Duration.ofSeconds(120));
      ServiceProcess audit = sut.audit();
      audit.awaitReady(Duration.ofSeconds(120));
      String tenant = "graph-" + sut.suffix;
      assertThat(sut.registry.createTenant(tenant).status()).isEqualTo(201);
      Scim scim = sut.tenantA.as(sut.issue(tenant));
      String api = sync.baseUrl() + "/admin/v1/tenants/" + tenant + "/graph-sync";

      HttpResponse<String> set =
          send(
              HttpRequest.newBuilder(URI.create(api))
                  .header("Content-Type", "application/json")
                  .PUT(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"entraTenantId\":\""
                              + GraphSimulator.TENANT_ID
                              + "\",\"clientId\":\""
                              + GraphSimulator.CLIENT_ID
                              + "\",\"clientSecret\":\""
                              + graph.clientSecret()
                              + "\",\"interval\":\"PT1H\"}")));
      assertThat(set.statusCode()).as(set.body()).isEqualTo(201);
      assertThat(set.body()).doesNotContain(graph.clientSecret());

      // 1. The whole directory: new settings are due at once, so the first round starts by itself
      // (a POST /run now would queue a second round behind it).
      JsonNode first = awaitRound(api, null);
      assertThat(first.at("/lastRound/status").asText())
          .as(first.toString())
          .isEqualTo("succeeded");
      assertThat(first.at("/lastRound/counts/failures").asLong()).isZero();
      assertThat(first.at("/lastRound/counts/usersCreated").asLong()).isEqualTo(200);
      assertThat(scim.get("/Users?count=1").json().get("totalResults").asInt()).isEqualTo(200);
      assertThat(scim.get("/Groups?count=1").json().get("totalResults").asInt()).isEqualTo(10);
      List<String> users = graph.userIds();
      for (String id : users.subList(0, 20)) {
        JsonNode u = byExternalId(scim, "Users", id);
        assertThat(u.get("userName").asText()).isEqualTo(graph.user(id).get("userPrincipalName"));
        assertThat(u.get("active").asBoolean()).isEqualTo(graph.user(id).get("accountEnabled"));
      }
      String group = graph.groupIds().get(0);
      assertThat(memberExternalIds(scim, group)).isEqualTo(graph.members(group));

      // Every write was audited as source graph.
      String someone = (String) graph.user(users.get(0)).get("userPrincipalName");
      JsonNode ops =
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      auditGet(
                          sut,
                          audit,
                          "/audit/v1/tenants/"
                              + tenant
                              + "/operations?target="
                              + URLEncoder.encode(someone, StandardCharsets.UTF_8)),
                  items ->
                      items.size() >= 1 && !"pending".equals(items.get(0).path("status").asText()));
      assertThat(ops.get(0).get("source").asText()).isEqualTo("graph");
      assertThat(ops.get(0).get("operation").asText()).isEqualToIgnoringCase("create");

      // 2. Changes, with Graph throttling the round's second request once.
      String changed = users.get(1);
      String disabled = users.get(2);
      String softDeleted = users.get(3);
      String hardDeleted = users.get(4);
      graph.updateUser(changed, "jobTitle", "Graph Tester");
      graph.disableUser(disabled);
      graph.softDeleteUser(softDeleted);
      graph.hardDeleteUser(hardDeleted);
      String leaving =
          graph.members(group).stream()
              .filter(m -> !m.equals(softDeleted) && !m.equals(hardDeleted))
              .findFirst()
              .orElseThrow();
      String joining =
          users.stream()
              .skip(5)
              .filter(u -> !graph.members(group).contains(u))
              .findFirst()
              .orElseThrow();
      graph.removeMember(group, leaving);
      graph.addMember(group, joining);
      int throttled = graph.throttledRequests();
      graph.throttle(2, 1);

      JsonNode second = runAndAwait(api, first.at("/lastRound/roundId").asText());
      assertThat(second.at("/lastRound/status").asText())
          .as(second.toString())
          .isEqualTo("succeeded");
      assertThat(second.at("/lastRound/kind").asText()).isEqualTo("incremental");
      assertThat(graph.throttledRequests()).isEqualTo(throttled + 1);
      assertThat(byExternalId(scim, "Users", changed).get("title").asText())
          .isEqualTo("Graph Tester");
      assertThat(byExternalId(scim, "Users", disabled).get("active").asBoolean()).isFalse();
      assertThat(byExternalId(scim, "Users", softDeleted).get("active").asBoolean()).isFalse();
      assertThat(
              scim.filter("Users", "externalId eq \"" + hardDeleted + "\"", null)
                  .json()
                  .get("totalResults")
                  .asInt())
          .isZero();
      assertThat(memberExternalIds(scim, group)).isEqualTo(graph.members(group));

      // 3. The delta links expire; a user leaves meanwhile: a full resync notices.
      String leaver = users.get(5);
      graph.hardDeleteUser(leaver);
      graph.expireDeltaLinks();
      JsonNode third = runAndAwait(api, second.at("/lastRound/roundId").asText());
      assertThat(third.at("/lastRound/status").asText())
          .as(third.toString())
          .isEqualTo("succeeded");
      assertThat(third.at("/lastRound/kind").asText()).isEqualTo("full");
      assertThat(third.at("/lastRound/counts/usersResyncs").asLong()).isEqualTo(1);
      assertThat(third.at("/lastRound/counts/failures").asLong()).isZero();
      assertThat(byExternalId(scim, "Users", leaver).get("active").asBoolean()).isFalse();
      assertThat(memberExternalIds(scim, group)).isEqualTo(graph.members(group));

      // 4. The tenant is suspended: its round stops at the gateway's refusal before it asks Graph
      // for a token or a page, and keeps its delta links; resumed, the next round goes on.
      assertThat(sut.registry.post("/tenants/" + tenant + "/suspend", "").status()).isEqualTo(200);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scim.get("/Users?count=1").status() == 403);
      int tokens = graph.tokensIssued();
      long graphRequests = graph.graphRequests();
      JsonNode refused = runAndAwait(api, third.at("/lastRound/roundId").asText());
      assertThat(refused.at("/lastRound/status").asText()).isEqualTo("failed");
      assertThat(refused.at("/lastRound/error").asText()).contains("403").contains("suspended");
      assertThat(refused.get("usersDeltaLink").asBoolean()).isTrue();
      assertThat(graph.tokensIssued()).isEqualTo(tokens);
      assertThat(graph.graphRequests()).isEqualTo(graphRequests);
      assertThat(sut.registry.post("/tenants/" + tenant + "/resume", "").status()).isEqualTo(200);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> scim.get("/Users?count=1").status() == 200);
      JsonNode resumed = runAndAwait(api, refused.at("/lastRound/roundId").asText());
      assertThat(resumed.at("/lastRound/status").asText())
          .as(resumed.toString())
          .isEqualTo("succeeded");
      assertThat(resumed.at("/lastRound/kind").asText()).isEqualTo("incremental");

      // The gateway's request metric tells the sources apart.
      assertThat(Scrape.text(sut.gatewayService.managementUrl()))
          .contains("source=\"graph\"")
          .contains("source=\"scim\"");
      // So do the processor's apply and end-to-end timers.
      Scrape processor = Scrape.of(sut.processorService.managementUrl());
      assertThat(
              processor.value(
                  "phub_processor_apply_seconds_count",
                  Map.of("operation", "create", "resource", "User", "source", "graph")))
          .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(200));
      assertThat(
              processor.series(
                  "phub_processor_end_to_end_seconds_bucket", Map.of("source", "graph")))
          .isNotEmpty();
    }
  }

  private JsonNode runAndAwait(String api, String previousRound) throws Exception {
    HttpResponse<String> run =
        send(
            HttpRequest.newBuilder(URI.create(api + "/run"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(run.statusCode()).as(run.body()).isEqualTo(202);
    return awaitRound(api, previousRound);
  }

  /**
   * Waits until a round other than {@code previousRound} has ended and none is running or asked.
   */
  private JsonNode awaitRound(String api, String previousRound) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                ContractJson.mapper()
                    .readTree(
                        send(HttpRequest.newBuilder(URI.create(api + "/status")).GET()).body()),
            s ->
                s.hasNonNull("lastRound")
                    && !s.at("/lastRound/roundId").asText().equals(previousRound)
                    && !"running".equals(s.at("/lastRound/status").asText())
                    && !s.get("running").asBoolean()
                    // a round asked for while another ran follows it: wait for that one too
                    && !s.get("runRequested").asBoolean());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.header("Authorization", "Bearer " + SystemUnderTest.get().adminToken()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode auditGet(SystemUnderTest sut, ServiceProcess audit, String path)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(audit.baseUrl() + path))
                .header("Authorization", "Bearer " + sut.supportToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return ContractJson.mapper().readTree(response.body()).path("items");
  }

  private static JsonNode byExternalId(Scim scim, String resource, String externalId) {
    Scim.Reply reply = scim.filter(resource, "externalId eq \"" + externalId + "\"", null);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode found = reply.json().path("Resources").path(0);
    assertThat(found.isMissingNode()).as("%s with externalId %s", resource, externalId).isFalse();
    return found;
  }

  /** The Graph ids of a group's members, read back through SCIM. */
  private static Set<String> memberExternalIds(Scim scim, String graphGroupId) {
    JsonNode group = byExternalId(scim, "Groups", graphGroupId);
    JsonNode full = scim.get("/Groups/" + group.get("id").asText()).json();
    Set<String> ids = new HashSet<>();
    for (JsonNode m : full.path("members")) {
      ids.add(scim.get("/Users/" + m.get("value").asText()).json().get("externalId").asText());
    }
    return ids;
  }
}

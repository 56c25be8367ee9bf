package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphSimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private GraphSimulator graph;

  @BeforeEach
  void start() {
    graph = GraphSimulator.start(250, 12, 42L, 100, 5);
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void theTokenEndpointChecksTheClientCredentials() throws Exception {
    assertThat(tokenResponse(graph.clientSecret()).statusCode()).isEqualTo(200);
    assertThat(tokenResponse("wrong").statusCode()).isEqualTo(401);
    assertThat(graph.tokensIssued()).isEqualTo(1);
    assertThat(get(graph.graphUrl() + "/users/delta", "not-a-token").statusCode()).isEqualTo(401);
  }

  @Test
  void aFirstRoundPagesThroughEveryUserAndEndsWithADeltaLink() throws Exception {
    String token = token();
    Round round = round(graph.graphUrl() + "/users/delta", token);
    assertThat(round.pages).isEqualTo(3);
    assertThat(round.objects).hasSize(250);
    assertThat(round.objects.stream().map(o -> o.get("id").asText()).distinct()).hasSize(250);
    assertThat(round.objects.get(0).get("userPrincipalName").asText()).endsWith(".example");
    assertThat(round.deltaLink).contains("$deltatoken=");

    // Nothing changed: the delta link returns nothing.
    assertThat(round(round.deltaLink, token).objects).isEmpty();
  }

  @Test
  void aDeltaLinkReturnsOnlyWhatChangedAfterIt() throws Exception {
    String token = token();
    String link = round(graph.graphUrl() + "/users/delta", token).deltaLink;
    List<String> ids = graph.userIds();
    graph.updateUser(ids.get(0), "jobTitle", "Chief Tester");
    graph.disableUser(ids.get(1));
    graph.softDeleteUser(ids.get(2));
    graph.hardDeleteUser(ids.get(3));

    Round changes = round(link, token);
    Map<String, JsonNode> byId = new HashMap<>();
    changes.objects.forEach(o -> byId.put(o.get("id").asText(), o));
    assertThat(byId).containsOnlyKeys(ids.subList(0, 4));
    assertThat(byId.get(ids.get(0)).get("jobTitle").asText()).isEqualTo("Chief Tester");
    assertThat(byId.get(ids.get(1)).get("accountEnabled").asBoolean()).isFalse();
    assertThat(byId.get(ids.get(2)).at("/@removed/reason").asText()).isEqualTo("changed");
    assertThat(byId.get(ids.get(3)).at("/@removed/reason").asText()).isEqualTo("deleted");
    assertThat(graph.userIds()).hasSize(248);
  }

  @Test
  void groupsCarryTheirMembersThenOnlyMembershipChanges() throws Exception {
    String token = token();
    Round first = round(graph.graphUrl() + "/groups/delta", token);
    assertThat(first.objects).hasSize(12);
    assertThat(first.pages).isEqualTo(3);
    JsonNode group = first.objects.get(0);
    String groupId = group.get("id").asText();
    Set<String> members = new HashSet<>();
    group.get("members@delta").forEach(m -> members.add(m.get("id").asText()));
    assertThat(members).isEqualTo(graph.members(groupId)).isNotEmpty();

    String removed = members.iterator().next();
    String added = graph.userIds().stream().filter(id -> !members.contains(id)).findFirst().get();
    graph.removeMember(groupId, removed);
    graph.addMember(groupId, added);

    Round changes = round(first.deltaLink, token);
    assertThat(changes.objects).hasSize(1);
    JsonNode delta = changes.objects.get(0).get("members@delta");
    assertThat(delta).hasSize(2);
    for (JsonNode m : delta) {
      boolean isRemoval = m.has("@removed");
      assertThat(m.get("id").asText()).isEqualTo(isRemoval ? removed : added);
    }
  }

  @Test
  void theNthRequestIsThrottledWithRetryAfter() throws Exception {
    String token = token();
    graph.throttle(2, 3);
    assertThat(get(graph.graphUrl() + "/users/delta", token).statusCode()).isEqualTo(200);
    HttpResponse<String> throttled = get(graph.graphUrl() + "/users/delta", token);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(get(graph.graphUrl() + "/users/delta", token).statusCode()).isEqualTo(200);
    assertThat(graph.throttledRequests()).isEqualTo(1);
  }

  @Test
  void expiredDeltaAndSkipTokensAreGone() throws Exception {
    String token = token();
    String link = round(graph.graphUrl() + "/users/delta", token).deltaLink;
    JsonNode firstPage = JSON.readTree(get(graph.graphUrl() + "/users/delta", token).body());
    graph.expireDeltaLinks();

    HttpResponse<String> gone = get(link, token);
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(JSON.readTree(gone.body()).at("/error/code").asText()).isEqualTo("resyncRequired");
    assertThat(get(firstPage.get("@odata.nextLink").asText(), token).statusCode()).isEqualTo(410);
    // A new first round works and hands out a delta link that is valid again.
    String fresh = round(graph.graphUrl() + "/users/delta", token).deltaLink;
    assertThat(get(fresh, token).statusCode()).isEqualTo(200);
  }

  @Test
  void theSameSeedGeneratesTheSameDirectory() {
    try (GraphSimulator twin = GraphSimulator.start(250, 12, 42L, 100, 5)) {
      assertThat(twin.userIds()).isEqualTo(graph.userIds());
      assertThat(twin.user(twin.userIds().get(7))).isEqualTo(graph.user(graph.userIds().get(7)));
      assertThat(twin.members(twin.groupIds().get(3)))
          .isEqualTo(graph.members(graph.groupIds().get(3)));
    }
  }

  private record Round(List<JsonNode> objects, int pages, String deltaLink) {}

  private Round round(String url, String token) throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    int pages = 0;
    String next = url;
    while (true) {
      HttpResponse<String> response = get(next, token);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode page = JSON.readTree(response.body());
      pages++;
      page.get("value").forEach(objects::add);
      if (page.has("@odata.nextLink")) {
        next = page.get("@odata.nextLink").asText();
      } else {
        return new Round(objects, pages, page.get("@odata.deltaLink").asText());
      }
    }
  }

  private String token() throws Exception {
    return JSON.readTree(tokenResponse(graph.clientSecret()).body()).get("access_token").asText();
  }

  private HttpResponse<String> tokenResponse(String secret) throws Exception {
    String form =
        "grant_type=client_credentials&client_id="
            + GraphSimulator.CLIENT_ID
            + "&client_secret="
            + URLEncoder.encode(secret, StandardCharsets.UTF_8)
            + "&scope="
            + URLEncoder.encode("https://graph.microsoft.com/.default", StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    graph.authorityUrl() + "/" + GraphSimulator.TENANT_ID + "/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

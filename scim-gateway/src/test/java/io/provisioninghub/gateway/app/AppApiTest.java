package io.provisioninghub.gateway.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.gateway.ScimSchema;
import io.provisioninghub.gateway.TestTenants;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application read API ({@code /app/v1}) on the real database and broker: its own credential
 * (never a customer's SCIM secret), tenant scoping on every endpoint, keyset paging through 10,000
 * users while writes go on, {@code updatedSince}, a group's members and a user's groups, and the
 * events feed from a cursor.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(AppKeysTestResource.class)
class AppApiTest {

  static final String A = "app-a-" + UUID.randomUUID().toString().substring(0, 8);
  static final String B = "app-b-" + UUID.randomUUID().toString().substring(0, 8);
  static final String A_SECRET = TestTenants.newSecret();
  static final String B_SECRET = TestTenants.newSecret();
  static boolean onboarded;

  @BeforeEach
  void onboard() throws Exception {
    ScimSchema.ensure();
    if (!onboarded) {
      TestTenants.onboard(A, A_SECRET, new RateLimit(1000, 1000));
      TestTenants.onboard(B, B_SECRET, new RateLimit(1000, 1000));
      onboarded = true;
    }
  }

  @Test
  void onlyTheApplicationsOwnTokenWithTheRoleReads() {
    String path = "/app/v1/tenants/" + A + "/users";
    assertThat(RestAssured.get(path).statusCode()).isEqualTo(401);
    // A customer's SCIM secret, and a customer-style token, are not application credentials.
    assertThat(given().auth().oauth2(A_SECRET).get(path).statusCode()).isEqualTo(401);
    assertThat(get(AppKeysTestResource.tokenOfStranger(), path).statusCode()).isEqualTo(401);
    assertThat(get(AppKeysTestResource.tokenOfIssuer("someone-else"), path).statusCode())
        .isEqualTo(401);
    assertThat(get(AppKeysTestResource.token("support"), path).statusCode()).isEqualTo(403);
    assertThat(get(AppKeysTestResource.token("provisioning-app"), path).statusCode())
        .isEqualTo(200);
    // And the application's token is no SCIM credential.
    assertThat(
            given()
                .auth()
                .oauth2(AppKeysTestResource.token("provisioning-app"))
                .get("/scim/v2/Users")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aTokenLimitedToSomeTenantsReadsNoOtherOnAnyEndpoint() throws Exception {
    UUID userOfB = UUID.randomUUID();
    insertUser(B, userOfB, "b-user-" + userOfB, Instant.now());
    UUID groupOfB = UUID.randomUUID();
    insertGroup(B, groupOfB, "b-group-" + groupOfB, List.of(userOfB));
    String onlyA = AppKeysTestResource.tokenFor(List.of(A));
    for (String path :
        List.of(
            "/users",
            "/users/" + userOfB,
            "/users/" + userOfB + "/groups",
            "/groups",
            "/groups/" + groupOfB,
            "/groups/" + groupOfB + "/members",
            "/events")) {
      assertThat(get(onlyA, "/app/v1/tenants/" + B + path).statusCode()).as(path).isEqualTo(403);
      assertThat(get(onlyA, "/app/v1/tenants/" + A + path).statusCode()).as(path).isIn(200, 404);
    }
    // B's ids under A's path: not found, with any token.
    String all = AppKeysTestResource.token("provisioning-app");
    assertThat(get(all, "/app/v1/tenants/" + A + "/users/" + userOfB).statusCode()).isEqualTo(404);
    assertThat(get(all, "/app/v1/tenants/" + A + "/groups/" + groupOfB + "/members").statusCode())
        .isEqualTo(404);
    assertThat(get(all, "/app/v1/tenants/" + B + "/users/" + userOfB).statusCode()).isEqualTo(200);
    assertThat(get(all, "/app/v1/tenants/nobody-here/users").statusCode()).isEqualTo(404);
  }

  @Test
  void pagesThrough10000UsersWithoutGapsOrRepeatsWhileWritesGoOn() throws Exception {
    String tenant = A;
    Set<UUID> existing = new HashSet<>();
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert = insertUserStatement(c)) {
      for (int i = 0; i < 10_000; i++) {
        UUID id = UUID.randomUUID();
        existing.add(id);
        bindUser(insert, tenant, id, "bulk-" + id, Instant.now());
        insert.addBatch();
        if (i % 1000 == 999) {
          insert.executeBatch();
        }
      }
    }
    // Writes while the application pages: new users and changes to existing ones.
    AtomicBoolean paging = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    List<UUID> touched = new ArrayList<>(existing).subList(0, 200);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (Connection c = Infrastructure.shared().postgres().connect();
                  PreparedStatement insert = insertUserStatement(c);
                  PreparedStatement touch =
                      c.prepareStatement(
                          "update scim.users set version = version + 1, last_modified = now()"
                              + " where tenant_id = ? and id = ?")) {
                int i = 0;
                while (paging.get() || i < 50) {
                  UUID id = UUID.randomUUID();
                  bindUser(insert, tenant, id, "new-" + id, Instant.now());
                  insert.executeUpdate();
                  touch.setString(1, tenant);
                  touch.setObject(2, touched.get(i % touched.size()));
                  touch.executeUpdate();
                  written.incrementAndGet();
                  i++;
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Map<UUID, Integer> seen = new HashMap<>();
    String cursor = null;
    int pages = 0;
    String token = AppKeysTestResource.token("provisioning-app");
    do {
      JsonPath page =
          get(
                  token,
                  "/app/v1/tenants/"
                      + tenant
                      + "/users?limit=500"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      for (String id : page.<String>getList("items.id")) {
        seen.merge(UUID.fromString(id), 1, Integer::sum);
      }
      cursor = page.getString("nextCursor");
      assertThat(page.getBoolean("hasMore")).isEqualTo(cursor != null);
      pages++;
    } while (cursor != null);
    paging.set(false);
    writer.get();
    assertThat(written.get()).as("writes during the walk").isGreaterThanOrEqualTo(50);
    assertThat(seen.keySet()).containsAll(existing);
    assertThat(seen.values()).as("ids seen more than once").allMatch(n -> n == 1);
    assertThat(pages).isGreaterThanOrEqualTo(20);

    // updatedSince: only what changed since, in change order; a bad value or cursor is 400.
    Instant since = Instant.now().plusSeconds(3600);
    List<UUID> changed = new ArrayList<>(existing).subList(500, 503);
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement touch =
            c.prepareStatement(
                "update scim.users set last_modified = ? where tenant_id = ? and id = ?")) {
      for (int i = 0; i < changed.size(); i++) {
        touch.setTimestamp(1, Timestamp.from(since.plusSeconds(i)));
        touch.setString(2, tenant);
        touch.setObject(3, changed.get(i));
        touch.executeUpdate();
      }
    }
    JsonPath first =
        get(token, "/app/v1/tenants/" + tenant + "/users?limit=2&updatedSince=" + since)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(first.<String>getList("items.id"))
        .containsExactly(changed.get(0).toString(), changed.get(1).toString());
    JsonPath second =
        get(
                token,
                "/app/v1/tenants/"
                    + tenant
                    + "/users?limit=2&updatedSince="
                    + since
                    + "&cursor="
                    + first.getString("nextCursor"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(second.<String>getList("items.id")).containsExactly(changed.get(2).toString());
    assertThat(second.getString("nextCursor")).isNull();
    assertThat(
            get(token, "/app/v1/tenants/" + tenant + "/users?updatedSince=yesterday").statusCode())
        .isEqualTo(400);
    assertThat(
            get(
                    token,
                    "/app/v1/tenants/" + tenant + "/users?cursor=" + first.getString("nextCursor"))
                .statusCode())
        .as("an updatedSince cursor on the plain list")
        .isEqualTo(400);
    assertThat(get(token, "/app/v1/tenants/" + tenant + "/users?limit=0").statusCode())
        .isEqualTo(400);
  }

  @Test
  void aGroupsMembersAndAUsersGroupsArePaged() throws Exception {
    List<UUID> members = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      members.add(UUID.randomUUID());
    }
    UUID group = UUID.randomUUID();
    insertGroup(A, group, "big-" + group, members);
    UUID other = UUID.randomUUID();
    insertGroup(A, other, "small-" + other, members.subList(0, 1));
    String token = AppKeysTestResource.token("provisioning-app");

    Set<String> listed = new HashSet<>();
    String cursor = null;
    do {
      JsonPath page =
          get(
                  token,
                  "/app/v1/tenants/"
                      + A
                      + "/groups/"
                      + group
                      + "/members?limit=1000"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      List<String> ids = page.getList("items.id");
      assertThat(listed).doesNotContainAnyElementsOf(ids);
      listed.addAll(ids);
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(listed).hasSize(2_500);

    UUID user = members.get(0);
    insertUser(A, user, "member-" + user, Instant.now());
    JsonPath groups =
        get(token, "/app/v1/tenants/" + A + "/users/" + user + "/groups")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(groups.<String>getList("items.id"))
        .containsExactlyInAnyOrder(group.toString(), other.toString());
    assertThat(groups.<String>getList("items.displayName")).contains("big-" + group);
    JsonPath one =
        get(token, "/app/v1/tenants/" + A + "/groups/" + group)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(one.getString("displayName")).isEqualTo("big-" + group);
    assertThat(one.getString("meta.resourceType")).isEqualTo("Group");
  }

  @Test
  void theEventsFeedFollowsOneTenantFromACursor() throws Exception {
    String token = AppKeysTestResource.token("provisioning-app");
    // Where the feed of A ends now: follow the cursors to the end.
    String cursor = endOfFeed(token, A);
    List<String> ofA = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ofA.add(insertEvent(A, i));
      insertEvent(B, i);
    }
    JsonPath page =
        get(token, "/app/v1/tenants/" + A + "/events?limit=3&cursor=" + cursor)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.<String>getList("items.id")).containsExactlyElementsOf(ofA.subList(0, 3));
    assertThat(page.getString("items[0].specversion")).isEqualTo("1.0");
    assertThat(page.getString("items[0].source")).isEqualTo("/provisioninghub/tenants/" + A);
    assertThat(page.getString("items[0].data.tenantId")).isEqualTo(A);
    assertThat(page.getBoolean("hasMore")).isTrue();
    JsonPath rest =
        get(token, "/app/v1/tenants/" + A + "/events?cursor=" + page.getString("nextCursor"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(rest.<String>getList("items.id")).containsExactlyElementsOf(ofA.subList(3, 5));
    assertThat(rest.getBoolean("hasMore")).isFalse();
    // Nothing new: an empty page that says where to poll from next (the same place).
    JsonPath empty =
        get(token, "/app/v1/tenants/" + A + "/events?cursor=" + rest.getString("nextCursor"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(empty.getList("items")).isEmpty();
    assertThat(empty.getString("nextCursor")).isEqualTo(rest.getString("nextCursor"));

    // Another tenant's purge deletes its rows, some older than A's cursor: A's cursor stays valid.
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement purge =
            c.prepareStatement("delete from scim.event_feed where tenant_id = ?")) {
      purge.setString(1, B);
      purge.executeUpdate();
    }
    assertThat(get(token, "/app/v1/tenants/" + A + "/events?cursor=" + cursor).statusCode())
        .isEqualTo(200);

    // Retention deleted events after an old cursor (as EventFeedRetention does: the horizon
    // first, then the rows): 410, resynchronise.
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement horizon =
            c.prepareStatement(
                "insert into scim.event_feed_horizon (id, seq) select 1, max(seq) - 1 from"
                    + " scim.event_feed on conflict (id) do update set seq = excluded.seq");
        PreparedStatement delete =
            c.prepareStatement(
                "delete from scim.event_feed where seq < (select max(seq) from scim.event_feed)")) {
      horizon.executeUpdate();
      delete.executeUpdate();
    }
    assertThat(get(token, "/app/v1/tenants/" + A + "/events?cursor=" + cursor).statusCode())
        .isEqualTo(410);
    assertThat(get(token, "/app/v1/tenants/" + A + "/events?cursor=bm9wZQ").statusCode())
        .isEqualTo(400);
  }

  private static String endOfFeed(String token, String tenant) {
    String cursor = null;
    while (true) {
      JsonPath page =
          get(
                  token,
                  "/app/v1/tenants/"
                      + tenant
                      + "/events?limit=1000"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      cursor = page.getString("nextCursor");
      if (!page.getBoolean("hasMore")) {
        return cursor;
      }
    }
  }

  private static String insertEvent(String tenant, int n) throws Exception {
    String id = UUID.randomUUID() + "-" + n;
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert =
            c.prepareStatement(
                "insert into scim.event_feed (tenant_id, event_id, type, subject, time, data)"
                    + " values (?, ?, 'io.provisioninghub.user.created.v1', ?, now(), ?::jsonb)")) {
      insert.setString(1, tenant);
      insert.setString(2, id);
      insert.setString(3, UUID.randomUUID().toString());
      insert.setString(4, "{\"event\":\"UserCreated\",\"tenantId\":\"" + tenant + "\"}");
      insert.executeUpdate();
    }
    return id;
  }

  private static Response get(String token, String path) {
    return given().auth().oauth2(token).get(path);
  }

  private static PreparedStatement insertUserStatement(Connection c) throws Exception {
    return c.prepareStatement(
        "insert into scim.users (tenant_id, id, user_name, resource, version, created,"
            + " last_modified) values (?, ?, ?, ?::jsonb, 1, ?, ?)");
  }

  private static void bindUser(
      PreparedStatement insert, String tenant, UUID id, String userName, Instant at)
      throws Exception {
    insert.setString(1, tenant);
    insert.setObject(2, id);
    insert.setString(3, userName);
    insert.setString(
        4,
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"id\":\""
            + id
            + "\",\"userName\":\""
            + userName
            + "\"}");
    insert.setTimestamp(5, Timestamp.from(at));
    insert.setTimestamp(6, Timestamp.from(at));
  }

  private static void insertUser(String tenant, UUID id, String userName, Instant at)
      throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement insert = insertUserStatement(c)) {
      bindUser(insert, tenant, id, userName, at);
      insert.executeUpdate();
    }
  }

  private static void insertGroup(String tenant, UUID id, String name, List<UUID> members)
      throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect()) {
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into scim.groups (tenant_id, id, display_name, resource, version, created,"
                  + " last_modified) values (?, ?, ?, ?::jsonb, 1, now(), now())")) {
        insert.setString(1, tenant);
        insert.setObject(2, id);
        insert.setString(3, name);
        insert.setString(
            4,
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"id\":\""
                + id
                + "\",\"displayName\":\""
                + name
                + "\"}");
        insert.executeUpdate();
      }
      try (PreparedStatement member =
          c.prepareStatement(
              "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
                  + " values (?, ?, ?, 'User')")) {
        for (UUID m : members) {
          member.setString(1, tenant);
          member.setObject(2, id);
          member.setObject(3, m);
          member.addBatch();
        }
        member.executeBatch();
      }
    }
  }
}

package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.testkit.Infrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group of 100,000 members works through the API, and the database work of adding or removing one
 * member does not grow with the group: measured as buffers touched (EXPLAIN ANALYZE BUFFERS), not
 * as time.
 */
class LargeGroupIT {

  static final int LARGE = 100_000;
  static final int SMALL = 100;
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  static Scim scim;
  static String tenant;

  @BeforeAll
  static void target() {
    assumeTrue(
        System.getProperty("phub.scim.base-url") == null,
        "seeds the database directly, so only against the system this JVM started");
    scim = SystemUnderTest.get().tenantA;
    tenant = "tenant-a-" + SystemUnderTest.get().suffix;
  }

  @Test
  void hundredThousandMembersWorkAndOneMemberCostsTheSameAsInASmallGroup() throws Exception {
    String small = createGroup("small");
    String large = createGroup("large");
    seedMembers(small, SMALL);
    seedMembers(large, LARGE);

    // Through the API: add one real user to the large group, read it back, remove it again.
    String userId = scim.createUser(Scim.uniqueName("large-member")).json().get("id").asText();
    Scim.Reply added = scim.patch("/Groups/" + large, addMember(userId));
    assertThat(added.status()).as(added.toString()).isIn(200, 204);
    Scim.Reply full = scim.get("/Groups/" + large);
    assertThat(full.status()).isEqualTo(200);
    assertThat(full.json().get("members")).hasSize(LARGE + 1);
    JsonNode slim = scim.get("/Groups/" + large + "?excludedAttributes=members").json();
    assertThat(slim.has("members")).isFalse();
    Scim.Reply removed =
        scim.patch(
            "/Groups/" + large,
            "{\"schemas\":[\""
                + PATCH_OP
                + "\"],\"Operations\":[{\"op\":\"remove\","
                + "\"path\":\"members[value eq \\\""
                + userId
                + "\\\"]\"}]}");
    assertThat(removed.status()).as(removed.toString()).isIn(200, 204);
    assertThat(memberCount(large)).isEqualTo(LARGE);

    // The database work of one add and one remove, in a small and in a large group.
    long smallAdd = buffers(addSql(small));
    long largeAdd = buffers(addSql(large));
    long smallRemove = buffers(removeSql(small));
    long largeRemove = buffers(removeSql(large));
    // Index probes: a few more pages for a deeper B-tree, never in proportion to the group's size
    // (the large group's member rows alone fill over a thousand pages).
    assertThat(largeAdd).isLessThanOrEqualTo(smallAdd + 6).isLessThan(200);
    assertThat(largeRemove).isLessThanOrEqualTo(smallRemove + 6).isLessThan(200);
  }

  private static String createGroup(String name) {
    Scim.Reply created =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
                + name
                + "-"
                + UUID.randomUUID()
                + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private static String addMember(String id) {
    return "{\"schemas\":[\""
        + PATCH_OP
        + "\"],\"Operations\":[{\"op\":\"Add\",\"path\":\"members\","
        + "\"value\":[{\"value\":\""
        + id
        + "\"}]}]}";
  }

  private static void seedMembers(String groupId, int count) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
                    + " select ?, ?, gen_random_uuid(), 'User' from generate_series(1, ?)")) {
      s.setString(1, tenant);
      s.setObject(2, UUID.fromString(groupId));
      s.setInt(3, count);
      s.executeUpdate();
      try (Statement analyze = c.createStatement()) {
        analyze.execute("analyze scim.group_members");
      }
    }
  }

  // The same statement shapes the processor runs (Memberships), with literal ids.
  private static String addSql(String groupId) {
    return "insert into scim.group_members (tenant_id, group_id, member_id, member_type)"
        + " values ('"
        + tenant
        + "', '"
        + groupId
        + "', '"
        + UUID.randomUUID()
        + "', 'User')"
        + " on conflict do nothing returning member_id";
  }

  private static String removeSql(String groupId) {
    return "delete from scim.group_members where tenant_id = '"
        + tenant
        + "' and group_id = '"
        + groupId
        + "' and member_id in ('"
        + UUID.randomUUID()
        + "') returning member_id";
  }

  /** Shared buffers hit or read by one execution, rolled back. */
  private static long buffers(String sql) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("explain (analyze, buffers, format json) " + sql)) {
        rs.next();
        JsonNode plan = ContractJson.mapper().readTree(rs.getString(1)).get(0).get("Plan");
        return plan.path("Shared Hit Blocks").asLong() + plan.path("Shared Read Blocks").asLong();
      } finally {
        c.rollback();
      }
    }
  }

  private static long memberCount(String groupId) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from scim.group_members where group_id = ?")) {
      s.setObject(1, UUID.fromString(groupId));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}

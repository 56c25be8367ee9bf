package io.provisioninghub.audit.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Retention against the real database, with rows backdated by SQL. */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class RetentionServiceTest {

  @Inject AgroalDataSource dataSource;
  @Inject RetentionService retention;

  @Test
  void deletesOnlyRowsOlderThanThePeriodInBoundedBatches() throws Exception {
    String tenant = AuditFixtures.tenant();
    Instant now = Instant.now();
    List<UUID> old = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      UUID id = UUID.randomUUID();
      old.add(id);
      AuditFixtures.insertRow(
          dataSource,
          tenant,
          id,
          now.minus(Duration.ofDays(31 + i)),
          "success",
          201,
          null,
          "old" + i);
    }
    UUID recent = UUID.randomUUID();
    UUID edge = UUID.randomUUID();
    AuditFixtures.insertRow(
        dataSource,
        tenant,
        recent,
        now.minus(Duration.ofDays(1)),
        "failure",
        409,
        "uniqueness",
        "r");
    AuditFixtures.insertRow(
        dataSource, tenant, edge, now.minus(Duration.ofDays(29)), "success", 201, null, "e");

    // batch size 5 so the purge has to loop: 5 + 5 + 2 (+ other tests' old rows, if any)
    long deleted = retention.purge(now, 5);

    assertThat(deleted).isGreaterThanOrEqualTo(12);
    assertThat(count(tenant)).isEqualTo(2);
    assertThat(exists(recent)).isTrue();
    assertThat(exists(edge)).isTrue();
    for (UUID id : old) {
      assertThat(exists(id)).isFalse();
    }
    assertThat(retention.purge(now)).isZero();
  }

  @Test
  void supportAccessRecordsAreKeptForTheirOwnLongerPeriod() throws Exception {
    Instant now = Instant.now();
    String subject = "retention-" + UUID.randomUUID();
    for (int i = 0; i < 7; i++) {
      insertAccess(subject, now.minus(Duration.ofDays(91 + i)), "old");
    }
    insertAccess(subject, now.minus(Duration.ofDays(31)), "older-than-operations");
    insertAccess(subject, now.minus(Duration.ofDays(1)), "recent");

    retention.purge(now, 3);

    assertThat(accessQueries(subject)).containsExactlyInAnyOrder("older-than-operations", "recent");
  }

  private void insertAccess(String subject, Instant at, String query) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "insert into audit.support_access (at, subject, tenant_id, action, query, allowed)"
                    + " values (?, ?, 't', 'operations.list', ?, true)")) {
      st.setObject(1, at.atOffset(java.time.ZoneOffset.UTC));
      st.setString(2, subject);
      st.setString(3, query);
      st.executeUpdate();
    }
  }

  private List<String> accessQueries(String subject) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("select query from audit.support_access where subject = ?")) {
      st.setString(1, subject);
      List<String> queries = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          queries.add(rs.getString(1));
        }
      }
      return queries;
    }
  }

  private long count(String tenant) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("select count(*) from audit.operations where tenant_id = ?")) {
      st.setString(1, tenant);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private boolean exists(UUID id) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement("select 1 from audit.operations where command_id = ?")) {
      st.setObject(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}

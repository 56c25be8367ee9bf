package io.provisioninghub.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The support queries use their indexes on a realistic table: 200,000 rows, 100,000 of them in one
 * tenant and the rest spread over 25 others. The plans are written to {@code
 * target/explain-list-query.txt} (quoted in the README).
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListQueryPlanTest {

  private static final String TENANT = "plan-big";

  @Inject AgroalDataSource dataSource;

  private final List<String> report = new ArrayList<>();

  @BeforeAll
  void fill() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("delete from audit.operations where tenant_id like 'plan-%'");
      st.execute(
          """
          insert into audit.operations (command_id, tenant_id, received_at, applied_at,
              duration_ms, has_command, has_outcome, scim_operation, operation, resource_type,
              resource_id, target_user_name, status, http_status, scim_type, reason)
          select gen_random_uuid(),
                 case when g % 2 = 0 then 'plan-other-' || (g % 50) else 'plan-big' end,
                 now() - g * interval '10 seconds',
                 now() - g * interval '10 seconds' + interval '40 milliseconds',
                 40, true, true, 'PATCH',
                 (array['create','replace','patch','disable','delete'])[1 + g % 5],
                 'User', gen_random_uuid()::text,
                 'user' || (g % 20000) || '@contoso.com',
                 case when g % 100 < 90 then 'success' when g % 100 < 97 then 'failure'
                      else 'rejected' end,
                 case when g % 100 < 90 then 200 when g % 100 < 97 then 409 else 429 end,
                 case when g % 100 between 90 and 96 then 'uniqueness' end,
                 case when g % 100 >= 90 then 'reason ' || (g % 7) end
          from generate_series(1, 200000) as g
          """);
      st.execute("analyze audit.operations");
    }
  }

  @Test
  void newestFirstListUsesTheTenantTimeIndexWithoutSorting() throws Exception {
    String plan = explain("list, no filter, first page", filter(null, null, null), false);
    assertThat(plan).contains("operations_tenant_received").doesNotContain("Seq Scan");
    assertThat(plan).doesNotContain("Sort Key");
  }

  @Test
  void nextPageSeeksWithTheCursorInTheIndex() throws Exception {
    String plan = explain("list, second page (keyset cursor)", filter(null, null, null), true);
    assertThat(plan).contains("operations_tenant_received").doesNotContain("Sort Key");
    assertThat(plan).contains("Index Cond: ((tenant_id = ");
  }

  @Test
  void failuresUseTheStatusIndex() throws Exception {
    String plan = explain("list, status=failure", filter("failure", null, null), false);
    assertThat(plan).contains("operations_tenant_status_received").doesNotContain("Seq Scan");
  }

  @Test
  void targetSearchesUseTheTargetIndex() throws Exception {
    String exact = explain("list, target exact", filter(null, "USER123@contoso.com", null), false);
    assertThat(exact).contains("operations_tenant_target").doesNotContain("Seq Scan");
    String prefix = explain("list, targetPrefix", filter(null, null, "user1234"), false);
    assertThat(prefix).contains("operations_tenant_target").doesNotContain("Seq Scan");
  }

  @Test
  void exportOfThousandsOfRowsIsStreamedInChunks() {
    var response =
        io.restassured.RestAssured.given()
            .auth()
            .oauth2(io.provisioninghub.audit.AuditFixtures.supportToken())
            .queryParam("format", "csv")
            .queryParam("status", "rejected")
            .get("/audit/v1/tenants/{t}/operations/export", TENANT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Content-Length")).isNull();
    assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
    // the tenant has the odd g; g % 100 in {97, 99} are rejections: 4,000 rows and the header
    assertThat(response.asString().split("\n")).hasSize(4_000 + 1);
  }

  private static OperationFilter filter(String status, String target, String prefix) {
    return OperationFilter.parse(
        TENANT, null, null, status, null, null, target, prefix, null, null);
  }

  private String explain(String title, OperationFilter filter, boolean afterCursor)
      throws Exception {
    Sql where = filter.where();
    String sql =
        "explain (analyze, buffers) " + OperationRepository.listSql(filter, where, afterCursor);
    StringBuilder plan = new StringBuilder();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      int next = where.bind(st);
      if (afterCursor) {
        st.setObject(next++, Sql.timestamp(Instant.now().minusSeconds(86_400)));
        st.setObject(next++, UUID.randomUUID());
      }
      st.setInt(next, 51);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
    }
    String text = plan.toString();
    synchronized (report) {
      report.add("-- " + title + "\n" + text);
      Path out = Path.of("target", "explain-list-query.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, String.join("\n", report));
    }
    return text;
  }
}

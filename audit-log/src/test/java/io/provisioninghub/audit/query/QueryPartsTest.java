package io.provisioninghub.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.audit.error.BadRequest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Filters to SQL, cursors, the recommended-action table and CSV quoting, without a database. */
class QueryPartsTest {

  @Test
  void everyFilterIsTenantScopedAndBound() {
    OperationFilter filter =
        OperationFilter.parse(
            "t1",
            "2026-01-01T00:00:00Z",
            "2026-01-02T00:00:00Z",
            "failure",
            "membership-add",
            "group",
            null,
            "50%_off\\",
            "409",
            "uniqueness");
    Sql sql = filter.where();

    assertThat(sql.text()).startsWith("tenant_id = ?").doesNotContain("t1").doesNotContain("50%");
    assertThat(sql.binds().get(0)).isEqualTo("t1");
    assertThat(sql.binds()).contains("failure", "membership-add", "Group", 409, "uniqueness");
    assertThat(sql.binds()).contains("50\\%\\_off\\\\%");
  }

  @Test
  void theSourceFilterIsBoundAndChecked() {
    Sql sql =
        OperationFilter.parse("t1", null, null, null, null, null, null, null, null, null, "graph")
            .where();
    assertThat(sql.text()).endsWith(" and source = ?").doesNotContain("graph");
    assertThat(sql.binds()).containsExactly("t1", "graph");
    assertThatThrownBy(
            () ->
                OperationFilter.parse(
                    "t1", null, null, null, null, null, null, null, null, null, "Graph'--"))
        .isInstanceOf(BadRequest.class)
        .extracting(e -> ((BadRequest) e).parameter())
        .isEqualTo("source");
  }

  @Test
  void badValuesNameTheirParameter() {
    assertThatThrownBy(() -> parse(null, "nope"))
        .isInstanceOf(BadRequest.class)
        .extracting(e -> ((BadRequest) e).parameter())
        .isEqualTo("status");
    assertThatThrownBy(
            () ->
                OperationFilter.parse(
                    "t",
                    "2026-01-02T00:00:00Z",
                    "2026-01-01T00:00:00Z",
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null))
        .isInstanceOf(BadRequest.class);
    assertThatThrownBy(
            () -> OperationFilter.parse(" ", null, null, null, null, null, null, null, null, null))
        .isInstanceOf(BadRequest.class);
  }

  @Test
  void cursorRoundTripsAndRejectsForgeries() {
    Cursor cursor = new Cursor(Instant.parse("2026-05-01T10:00:00.123456Z"), UUID.randomUUID());
    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThatThrownBy(() -> Cursor.decode("bm90IGEgY3Vyc29y")).isInstanceOf(BadRequest.class);
  }

  @Test
  void csvFieldsAreQuotedAndFormulasDefused() {
    assertThat(ExportFormat.csvField("plain")).isEqualTo("plain");
    assertThat(ExportFormat.csvField("a,b")).isEqualTo("\"a,b\"");
    assertThat(ExportFormat.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ExportFormat.csvField("=HYPERLINK(1)")).isEqualTo("'=HYPERLINK(1)");
  }

  private static OperationFilter parse(String operation, String status) {
    return OperationFilter.parse("t", null, null, status, operation, null, null, null, null, null);
  }
}

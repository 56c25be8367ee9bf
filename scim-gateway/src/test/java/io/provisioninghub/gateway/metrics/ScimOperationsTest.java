package io.provisioninghub.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.UnauthorizedException;
import org.junit.jupiter.api.Test;

class ScimOperationsTest {

  @Test
  void operationsAndResourcesFromMethodAndPath() {
    String id = "2819c223-7f76-453a-919d-413861904646";
    assertThat(ScimOperations.of("POST", "/scim/v2/Users", false))
        .isEqualTo(new ScimOperations("create", "User"));
    assertThat(ScimOperations.of("GET", "/scim/v2/Users", false))
        .isEqualTo(new ScimOperations("list", "User"));
    assertThat(ScimOperations.of("GET", "/scim/v2/Groups", true))
        .isEqualTo(new ScimOperations("search", "Group"));
    assertThat(ScimOperations.of("POST", "/scim/v2/Groups/.search", false))
        .isEqualTo(new ScimOperations("search", "Group"));
    assertThat(ScimOperations.of("GET", "/scim/v2/Users/" + id, false))
        .isEqualTo(new ScimOperations("get", "User"));
    assertThat(ScimOperations.of("PUT", "/scim/v2/Groups/" + id, false))
        .isEqualTo(new ScimOperations("replace", "Group"));
    assertThat(ScimOperations.of("PATCH", "/scim/v2/Users/" + id, false))
        .isEqualTo(new ScimOperations("patch", "User"));
    assertThat(ScimOperations.of("DELETE", "/scim/v2/Users/" + id, false))
        .isEqualTo(new ScimOperations("delete", "User"));
    assertThat(ScimOperations.of("GET", "/scim/v2/Schemas/urn:x", false))
        .isEqualTo(new ScimOperations("discovery", "none"));
    assertThat(ScimOperations.of("GET", "/scim/v2/Bogus/" + id, false))
        .isEqualTo(ScimOperations.OTHER);
    assertThat(ScimOperations.of("GET", "/scim/v2/Users/" + id + "/x", false))
        .isEqualTo(new ScimOperations("other", "User"));
  }

  @Test
  void outcomes() {
    assertThat(ScimOperations.outcome(201)).isEqualTo("success");
    assertThat(ScimOperations.outcome(304)).isEqualTo("success");
    assertThat(ScimOperations.outcome(404)).isEqualTo("client_error");
    assertThat(ScimOperations.outcome(429)).isEqualTo("rate_limited");
    assertThat(ScimOperations.outcome(503)).isEqualTo("server_error");
  }

  @Test
  void authFailureReasonsFromTheHeaderShapeNeverItsValue() {
    UnauthorizedException unauthorized = new UnauthorizedException("x");
    assertThat(RefusalMetrics.reason(unauthorized, null)).isEqualTo("missing");
    assertThat(RefusalMetrics.reason(unauthorized, "Basic abc")).isEqualTo("malformed");
    assertThat(RefusalMetrics.reason(unauthorized, "Bearer secret")).isEqualTo("unknown");
    assertThat(RefusalMetrics.reason(unauthorized, "Bearer a.b.c")).isEqualTo("invalid_jwt");
    assertThat(
            RefusalMetrics.reason(
                new BadRequestException(io.provisioninghub.scim.error.ScimType.invalidValue, "x"),
                "Bearer a"))
        .isNull();
  }
}

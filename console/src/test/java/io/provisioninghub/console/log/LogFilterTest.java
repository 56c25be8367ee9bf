package io.provisioninghub.console.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.console.upstream.AuditApi.Query;
import io.provisioninghub.console.web.BadInput;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogFilterTest {

  @Test
  void aUserIsAUserNameTargetAndAGroupADisplayNameTarget() {
    Query user = LogFilter.of(" alice@contoso.example ", "", "", "", "").query();
    assertThat(user.target()).isEqualTo("alice@contoso.example");
    assertThat(user.resourceType()).isEqualTo("User");
    Query group = LogFilter.of("", "Sales", "failure", "", "").query();
    assertThat(group.target()).isEqualTo("Sales");
    assertThat(group.resourceType()).isEqualTo("Group");
    assertThat(group.status()).isEqualTo("failure");
    assertThat(LogFilter.of(null, null, null, null, null).query()).isEqualTo(Query.ALL);
  }

  @Test
  void timesAreTheFormsLocalTimesInUtcOrInstants() {
    Query q = LogFilter.of("", "", "", "2026-12-04T09:30", "2026-12-04T10:00:05Z").query();
    assertThat(q.from()).isEqualTo(Instant.parse("2026-12-04T09:30:00Z"));
    assertThat(q.to()).isEqualTo(Instant.parse("2026-12-04T10:00:05Z"));
  }

  @Test
  void unusableValuesAreRefusedInPlainWords() {
    assertThatThrownBy(() -> LogFilter.of("a", "b", "", "", "").query())
        .isInstanceOf(BadInput.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> LogFilter.of("", "", "done", "", "").query())
        .isInstanceOf(BadInput.class)
        .hasMessageContaining("success, failure, rejected, pending");
    assertThatThrownBy(() -> LogFilter.of("", "", "", "soon", "").query())
        .isInstanceOf(BadInput.class)
        .hasMessageContaining("\"From\"");
    assertThatThrownBy(
            () -> LogFilter.of("", "", "", "2026-12-04T10:00", "2026-12-04T10:00").query())
        .isInstanceOf(BadInput.class)
        .hasMessageContaining("earlier");
    assertThatThrownBy(() -> LogFilter.of("x".repeat(513), "", "", "", "").query())
        .isInstanceOf(BadInput.class);
    assertThatThrownBy(() -> LogFilter.cursor("a b")).isInstanceOf(BadInput.class);
  }

  @Test
  void aLinkKeepsTheFiltersAndNamesNoTenant() {
    LogFilter filter = LogFilter.of("a&b@x", "", "failure", "", "");
    assertThat(filter.queryString("CUR")).isEqualTo("?user=a%26b%40x&status=failure&cursor=CUR");
    assertThat(LogFilter.of("", "", "", "", "").queryString(null)).isEmpty();
  }
}

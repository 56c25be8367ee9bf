package io.provisioninghub.console.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SetupLinkRefusalTest {

  static final String PREFIX = "urn:provisioninghub:problem:";

  @Test
  void theTypesLastNameDecides() {
    assertThat(SetupLinkRefusal.of(404, PREFIX + "setup-link-unknown"))
        .isEqualTo(SetupLinkRefusal.UNKNOWN);
    assertThat(SetupLinkRefusal.of(410, PREFIX + "setup-link-redeemed"))
        .isEqualTo(SetupLinkRefusal.REDEEMED);
    assertThat(SetupLinkRefusal.of(410, PREFIX + "setup-link-expired"))
        .isEqualTo(SetupLinkRefusal.EXPIRED);
    assertThat(SetupLinkRefusal.of(410, PREFIX + "setup-link-revoked"))
        .isEqualTo(SetupLinkRefusal.REVOKED);
    assertThat(SetupLinkRefusal.of(410, PREFIX + "tenant-not-active"))
        .isEqualTo(SetupLinkRefusal.TENANT_NOT_ACTIVE);
    assertThat(SetupLinkRefusal.of(410, "https://example.test/problems/setup-link-expired"))
        .isEqualTo(SetupLinkRefusal.EXPIRED);
  }

  @Test
  void withoutAKnownTypeTheStatusDecides() {
    assertThat(SetupLinkRefusal.of(404, null)).isEqualTo(SetupLinkRefusal.UNKNOWN);
    assertThat(SetupLinkRefusal.of(400, null)).isEqualTo(SetupLinkRefusal.UNKNOWN);
    assertThat(SetupLinkRefusal.of(410, null)).isEqualTo(SetupLinkRefusal.GONE);
    assertThat(SetupLinkRefusal.of(410, PREFIX + "something-new")).isEqualTo(SetupLinkRefusal.GONE);
    assertThat(SetupLinkRefusal.of(500, null)).isNull();
    assertThat(SetupLinkRefusal.of(403, null)).isNull();
  }
}

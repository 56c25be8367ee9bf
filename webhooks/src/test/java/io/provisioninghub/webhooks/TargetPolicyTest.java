package io.provisioninghub.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.webhooks.endpoints.TargetPolicy;
import org.junit.jupiter.api.Test;

/** Receivers outside dev and test: https to public addresses only. */
class TargetPolicyTest {

  private final TargetPolicy production = new TargetPolicy(false);

  @Test
  void privateLoopbackLinkLocalAndPlainHttpAreRefused() {
    for (String url :
        new String[] {
          "https://127.0.0.1/x",
          "https://localhost/x",
          "https://10.1.2.3/x",
          "https://172.16.0.1/x",
          "https://192.168.1.1/x",
          "https://169.254.169.254/latest/meta-data",
          "https://100.64.0.1/x",
          "https://0.0.0.0/x",
          "https://[::1]/x",
          "https://[fd00::1]/x",
          "https://[fe80::1]/x",
          "http://93.184.216.34/x",
          "https://user:pass@93.184.216.34/x",
          "not a url",
          "https:///nohost"
        }) {
      assertThat(production.refusal(url)).as(url).isPresent();
    }
  }

  @Test
  void httpsToAPublicAddressIsAllowed() {
    assertThat(production.refusal("https://93.184.216.34/hook")).isEmpty();
    assertThat(production.refusal("https://[2606:2800:220:1:248:1893:25c8:1946]/hook")).isEmpty();
  }

  @Test
  void devAndTestMayUseLoopbackOverHttp() {
    assertThat(new TargetPolicy(true).refusal("http://127.0.0.1:8080/hook")).isEmpty();
    assertThat(new TargetPolicy(true).refusal("ftp://127.0.0.1/hook")).isPresent();
  }
}

package io.provisioninghub.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  void secretsArePrefixedHighEntropyAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String secret = Secrets.newSecret();
      assertThat(secret).startsWith("phub_").hasSize(5 + 43).matches("phub_[A-Za-z0-9_-]{43}");
      assertThat(seen.add(secret)).isTrue();
    }
  }

  @Test
  void anotherPrefixKeepsTheRandomPart() {
    assertThat(Secrets.newSecret("phub_setup_")).matches("phub_setup_[A-Za-z0-9_-]{43}");
  }

  @Test
  void hashIsLowercaseHexSha256() {
    // SHA-256("abc") from FIPS 180-2, appendix B.1
    assertThat(Secrets.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

package io.provisioninghub.console.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionCodecTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  final SessionCodec codec = new SessionCodec(KEY);
  final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  CustomerSession session(Instant expiresAt) {
    return new CustomerSession("contoso", "Contoso Ltd", "link-1", now, expiresAt);
  }

  @Test
  void aSealedSessionOpensAsItWas() {
    CustomerSession session = session(now.plus(Duration.ofHours(8)));
    assertThat(codec.open(codec.seal(session))).contains(session);
  }

  @Test
  void theValueIsNotReadable() {
    String sealed = codec.seal(session(now.plus(Duration.ofHours(8))));
    assertThat(sealed.split("\\.")).hasSize(5); // a JWE in compact form
    for (String part : sealed.split("\\.")) {
      String decoded = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
      assertThat(decoded).doesNotContain("contoso").doesNotContain("Contoso");
    }
  }

  @Test
  void anyChangedCharacterOpensToNothing() {
    String sealed = codec.seal(session(now.plus(Duration.ofHours(8))));
    for (int i = 0; i < sealed.length(); i++) {
      char c = sealed.charAt(i);
      if (c == '.') {
        continue;
      }
      char other = c == 'A' ? 'B' : 'A';
      String tampered = sealed.substring(0, i) + other + sealed.substring(i + 1);
      assertThat(codec.open(tampered)).as("changed at %d", i).isEmpty();
    }
  }

  @Test
  void anExpiredSessionOpensToNothing() {
    String sealed = codec.seal(session(now.minusSeconds(1)));
    assertThat(codec.open(sealed)).isEmpty();
  }

  @Test
  void anotherKeysSessionOpensToNothing() {
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    String sealed = new SessionCodec(otherKey).seal(session(now.plus(Duration.ofHours(8))));
    assertThat(codec.open(sealed)).isEmpty();
  }

  @Test
  void garbageOpensToNothing() {
    assertThat(codec.open(null)).isEmpty();
    assertThat(codec.open("")).isEmpty();
    assertThat(codec.open("a.b.c.d.e")).isEmpty();
    assertThat(codec.open("x".repeat(5000))).isEmpty();
  }
}

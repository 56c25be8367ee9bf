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
    return new CustomerSession("contoso", "Contoso Ltd", "link-1", null, now, expiresAt);
  }

  @Test
  void aSignedInSessionKeepsItsUserAndHasNoLink() {
    CustomerSession signedIn =
        new CustomerSession(
            "contoso", "Contoso Ltd", null, "alice@contoso", now, now.plus(Duration.ofHours(8)));
    assertThat(codec.open(codec.seal(signedIn))).contains(signedIn);
    assertThat(signedIn.via()).isEqualTo("sign-in");
    assertThat(session(now.plus(Duration.ofHours(1))).via()).isEqualTo("setup-link");
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
  void anyChangedBitOpensToNothing() {
    String sealed = codec.seal(session(now.plus(Duration.ofHours(8))));
    String[] parts = sealed.split("\\.", -1);
    int checked = 0;
    for (int part = 0; part < parts.length; part++) {
      byte[] bytes = Base64.getUrlDecoder().decode(parts[part]);
      for (int i = 0; i < bytes.length; i++) {
        byte[] changed = bytes.clone();
        changed[i] ^= 0x01;
        String[] tampered = parts.clone();
        tampered[part] = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
        assertThat(codec.open(String.join(".", tampered)))
            .as("bit flipped in part %d, byte %d", part, i)
            .isEmpty();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(200);
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

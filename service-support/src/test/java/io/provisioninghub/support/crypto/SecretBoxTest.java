package io.provisioninghub.support.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private static final String SETTING = "phub.test.secret-encryption-key";

  private final SecretBox box = new SecretBox(SecretBox.newKey(), SETTING);

  @Test
  void decryptsWhatItEncryptedForTheSameTenant() {
    byte[] sealed = box.encrypt("tenant-a", "s3cret~value");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    assertThat(box.decrypt("tenant-a", sealed)).isEqualTo("s3cret~value");
    // A fresh nonce each time.
    assertThat(box.encrypt("tenant-a", "s3cret~value")).isNotEqualTo(sealed);
  }

  @Test
  void anotherTenantAnotherKeyOrAChangedByteDoNotDecrypt() {
    byte[] sealed = box.encrypt("tenant-a", "s3cret");
    assertThatThrownBy(() -> box.decrypt("tenant-b", sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(SETTING)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> new SecretBox(SecretBox.newKey(), SETTING).decrypt("tenant-a", sealed))
        .isInstanceOf(IllegalStateException.class);
    byte[] changed = sealed.clone();
    changed[changed.length - 1] ^= 1;
    assertThatThrownBy(() -> box.decrypt("tenant-a", changed))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> box.decrypt("tenant-a", new byte[3]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aKeyMustBeBase64Of32Bytes() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> new SecretBox(shortKey, SETTING))
        .hasMessageContaining("exactly 32 bytes");
    assertThatThrownBy(() -> new SecretBox("not base64!", SETTING))
        .hasMessageContaining("not base64");
  }
}

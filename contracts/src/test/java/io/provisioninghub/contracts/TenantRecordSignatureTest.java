package io.provisioninghub.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.contracts.TenantRecordSignature.Signer;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.TenantRecordSignature.Verifier;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantRecordSignatureTest {

  private final KeyPair current = TenantRecordSignature.generateKeyPair();
  private final KeyPair other = TenantRecordSignature.generateKeyPair();
  private final Signer signer = new Signer("k1", current.getPrivate());
  private final Verifier verifier = new Verifier(Map.of("k1", current.getPublic()));
  private final byte[] value = "{\"tenantId\":\"acme\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSignedSnapshotVerifies() {
    Map<String, byte[]> headers = signer.snapshotHeaders("acme", value);
    assertThat(verifier.verify("acme", value, headers::get))
        .isEqualTo(new Verdict.Valid("k1", Optional.empty()));
  }

  @Test
  void anUnsignedChangedOrMovedSnapshotDoesNot() {
    Map<String, byte[]> headers = signer.snapshotHeaders("acme", value);
    assertThat(verifier.verify("acme", value, name -> null)).isInstanceOf(Verdict.Invalid.class);
    byte[] changed = value.clone();
    changed[3] ^= 1;
    assertThat(verifier.verify("acme", changed, headers::get)).isInstanceOf(Verdict.Invalid.class);
    assertThat(verifier.verify("other", value, headers::get))
        .as("replayed under another tenant's key")
        .isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void aSignatureByAnotherKeyUnderATrustedIdDoesNotVerify() {
    Map<String, byte[]> forged =
        new Signer("k1", other.getPrivate()).snapshotHeaders("acme", value);
    assertThat(verifier.verify("acme", value, forged::get))
        .isEqualTo(new Verdict.Invalid("signature does not verify"));
    Map<String, byte[]> unknown =
        new Signer("k9", other.getPrivate()).snapshotHeaders("acme", value);
    assertThat(verifier.verify("acme", value, unknown::get))
        .isEqualTo(new Verdict.Invalid("signed with a key this gateway does not trust"));
  }

  @Test
  void tombstonesAreSignedOverKeyAndDeletionTime() {
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    Map<String, byte[]> headers = new HashMap<>(signer.tombstoneHeaders("acme", at));
    assertThat(verifier.verify("acme", null, headers::get))
        .isEqualTo(new Verdict.Valid("k1", Optional.of(at)));
    assertThat(verifier.verify("other", null, headers::get)).isInstanceOf(Verdict.Invalid.class);
    headers.put(
        TenantRecordSignature.DELETED_AT_HEADER,
        "2027-01-02T03:04:05Z".getBytes(StandardCharsets.US_ASCII));
    assertThat(verifier.verify("acme", null, headers::get)).isInstanceOf(Verdict.Invalid.class);
  }

  @Test
  void keysRoundTripThroughTheirConfiguredForm() {
    String priv = TenantRecordSignature.encodePrivateKey(current.getPrivate());
    String pub = TenantRecordSignature.encodePublicKey(current.getPublic());
    Signer fromConfig = new Signer("k2", TenantRecordSignature.decodePrivateKey(priv));
    Verifier rotating =
        new Verifier(
            TenantRecordSignature.parsePublicKeys(
                List.of(
                    "k1:" + TenantRecordSignature.encodePublicKey(other.getPublic()),
                    " k2:" + pub)));
    Map<String, byte[]> headers = fromConfig.snapshotHeaders("acme", value);
    assertThat(rotating.verify("acme", value, headers::get)).isInstanceOf(Verdict.Valid.class);
    String pem = "-----BEGIN PUBLIC KEY-----\n" + pub + "\n-----END PUBLIC KEY-----\n";
    assertThat(TenantRecordSignature.decodePublicKey(pem)).isEqualTo(current.getPublic());
    assertThatThrownBy(() -> TenantRecordSignature.parsePublicKeys(List.of(pub)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantRecordSignature.decodePrivateKey("not a key"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

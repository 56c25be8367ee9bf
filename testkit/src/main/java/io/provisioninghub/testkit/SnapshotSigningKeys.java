package io.provisioninghub.testkit;

import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Signer;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An Ed25519 key pair for signing {@code tenants.v1} records, generated per JVM (tests) or per
 * local stack, wired into the registry (private half) and the gateways (public half) so everything
 * works out of the box. Tests that play the registry sign with {@link #snapshotHeaders}.
 */
public final class SnapshotSigningKeys {

  public static final String KEY_ID = "testkit-1";

  private static SnapshotSigningKeys shared;

  private final String keyId;
  private final KeyPair pair;

  private SnapshotSigningKeys(String keyId, KeyPair pair) {
    this.keyId = keyId;
    this.pair = pair;
  }

  /** The pair every service and test of this JVM uses. */
  public static synchronized SnapshotSigningKeys shared() {
    if (shared == null) {
      shared = generate(KEY_ID);
    }
    return shared;
  }

  public static SnapshotSigningKeys generate(String keyId) {
    return new SnapshotSigningKeys(keyId, TenantRecordSignature.generateKeyPair());
  }

  public String keyId() {
    return keyId;
  }

  public Signer signer() {
    return new Signer(keyId, pair.getPrivate());
  }

  /** {@code keyId:base64}, as a gateway lists a trusted key. */
  public String trustedKey() {
    return keyId + ":" + TenantRecordSignature.encodePublicKey(pair.getPublic());
  }

  /**
   * The registry's, the gateways', the processor's, graph-sync's and saml-jit's settings (each
   * ignores the others').
   */
  public Map<String, String> quarkusConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put(
        "phub.registry.snapshot-signing.private-key",
        TenantRecordSignature.encodePrivateKey(pair.getPrivate()));
    config.put("phub.registry.snapshot-signing.key-id", keyId);
    config.put("phub.gateway.tenant-snapshots.public-keys", trustedKey());
    config.put("phub.processor.purge.tenant-snapshots.public-keys", trustedKey());
    config.put("phub.graph-sync.tenant-snapshots.public-keys", trustedKey());
    config.put("phub.saml-jit.tenant-snapshots.public-keys", trustedKey());
    return config;
  }

  /** The same as environment variables (the local stack's {@code infra.env}). */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    quarkusConfig()
        .forEach((k, v) -> env.put(k.toUpperCase().replace('.', '_').replace('-', '_'), v));
    return env;
  }

  /** Headers that make {@code value} a snapshot the registry signed. */
  public Headers snapshotHeaders(String key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    signer().snapshotHeaders(key, value).forEach(headers::add);
    return headers;
  }

  /** Headers of a tombstone the registry signed, deleted now. */
  public Headers tombstoneHeaders(String key) {
    RecordHeaders headers = new RecordHeaders();
    signer().tombstoneHeaders(key, Instant.now()).forEach(headers::add);
    return headers;
  }
}

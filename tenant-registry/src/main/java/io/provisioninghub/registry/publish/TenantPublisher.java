package io.provisioninghub.registry.publish;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Signer;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.registry.credentials.CredentialRow;
import io.provisioninghub.registry.credentials.CredentialStore;
import io.provisioninghub.registry.error.RegistryException;
import io.provisioninghub.registry.tenants.EventRedactionStore;
import io.provisioninghub.registry.tenants.TenantRow;
import io.provisioninghub.registry.tenants.TenantSchemaStore;
import io.provisioninghub.registry.tenants.TenantStore;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes a tenant's full state to {@code tenants.v1}. Called inside the transaction that changed
 * the tenant, after its row is locked and before commit: concurrent changes of one tenant publish
 * in commit order, and a failed publish rolls the change back. A publish whose commit then fails is
 * corrected by the next change or by the republish at start ({@link StartupRepublisher}).
 *
 * <p>Every record is signed ({@link TenantRecordSignature}, key from {@link SnapshotSigningConfig})
 * so that gateways can refuse records someone else wrote to the topic. The producer takes its
 * connection and security settings from the shared {@code kafka.*} configuration.
 */
@ApplicationScoped
@Startup
public class TenantPublisher {

  private static final Logger LOG = Logger.getLogger(TenantPublisher.class);
  private static final long ACK_TIMEOUT_SECONDS = 10;

  private final TenantStore tenants;
  private final TenantSchemaStore schemas;
  private final EventRedactionStore redactions;
  private final CredentialStore credentials;
  private final String topic;
  private final Optional<Signer> signer;
  private final KafkaProducer<String, byte[]> producer;

  public TenantPublisher(
      TenantStore tenants,
      TenantSchemaStore schemas,
      EventRedactionStore redactions,
      CredentialStore credentials,
      RegistryConfig config,
      SnapshotSigningConfig signing,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.tenants = tenants;
    this.schemas = schemas;
    this.redactions = redactions;
    this.credentials = credentials;
    this.topic = config.topic();
    this.signer = signer(signing, LaunchMode.current().isDevOrTest());
    this.producer =
        new KafkaProducer<>(
            KafkaClientSettings.client(
                kafka,
                Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "tenant-registry-publisher",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000)),
            new StringSerializer(),
            new ByteArraySerializer());
    // kafka_producer_* like the messaging connector's producers in the other services.
    new KafkaClientMetrics(producer).bindTo(registry);
  }

  /**
   * The configured signer. Without a key the registry refuses to start, except in dev and test
   * mode, where it publishes unsigned records (gateways in dev and test mode without public keys
   * accept them).
   */
  static Optional<Signer> signer(SnapshotSigningConfig signing, boolean devOrTest) {
    if (signing.privateKey().filter(k -> !k.isBlank()).isEmpty()) {
      if (devOrTest) {
        LOG.warn(
            "phub.registry.snapshot-signing.private-key is not set: tenant snapshots are published"
                + " UNSIGNED (dev/test mode only)");
        return Optional.empty();
      }
      throw new IllegalStateException(
          "phub.registry.snapshot-signing.private-key (PHUB_REGISTRY_SNAPSHOT_SIGNING_PRIVATE_KEY)"
              + " is not set: the registry signs every tenant snapshot and gateways refuse unsigned"
              + " ones. Generate an Ed25519 key pair (docs/security.md, 'Kafka: authentication and"
              + " ACLs'), give the private key to the registry and the public key to the gateways.");
    }
    try {
      return Optional.of(
          new Signer(
              signing.keyId(), TenantRecordSignature.decodePrivateKey(signing.privateKey().get())));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "phub.registry.snapshot-signing: " + e.getMessage() + " (key id " + signing.keyId() + ")",
          e);
    }
  }

  /** Reads the tenant (already locked by the caller) and publishes its snapshot. */
  public TenantSnapshot publish(Connection c, String tenantId) throws SQLException {
    TenantRow tenant =
        tenants
            .find(c, tenantId, false)
            .orElseThrow(() -> RegistryException.notFound("no tenant '" + tenantId + "'"));
    TenantSchemaStore.Declared declared =
        schemas.find(c, tenantId).orElse(TenantSchemaStore.Declared.NONE);
    TenantSnapshot snapshot =
        new TenantSnapshot(
            tenant.id(),
            tenant.revision(),
            tenant.displayName(),
            tenant.idpTenantId(),
            tenant.status(),
            tenant.rateLimit(),
            tenant.oauthTrust(),
            credentials.ofTenant(c, tenantId).stream().map(CredentialRow::state).toList(),
            tenant.updatedAt(),
            tenant.passwordPolicy(),
            tenant.createdAt(),
            declared.schemas(),
            declared.strict(),
            redactions.find(c, tenantId).orElse(List.of()));
    byte[] value = ContractJson.toBytes(snapshot);
    send(tenantId, value, signer.map(s -> s.snapshotHeaders(tenantId, value)).orElse(Map.of()));
    return snapshot;
  }

  /**
   * Publishes the tombstone of a deleted tenant, signed over its id and the deletion time: a
   * gateway removes a tenant only on a tombstone the registry signed, and not one older than the
   * snapshot it holds.
   */
  public void publishDeletion(String tenantId) {
    Instant deletedAt = now();
    send(tenantId, null, signer.map(s -> s.tombstoneHeaders(tenantId, deletedAt)).orElse(Map.of()));
  }

  private void send(String tenantId, byte[] value, Map<String, byte[]> signature) {
    RecordHeaders headers = new RecordHeaders();
    signature.forEach(headers::add);
    try {
      producer
          .send(new ProducerRecord<>(topic, null, tenantId, value, headers))
          .get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.unavailable("interrupted while publishing; nothing was changed");
    } catch (Exception e) {
      LOG.warnf("cannot publish tenant %s to %s: %s", tenantId, topic, e.toString());
      throw RegistryException.unavailable(
          "the change could not be published to the gateways; nothing was changed, retry later");
    }
  }

  @PreDestroy
  void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }

  /** The time every change of one request is stamped with. */
  public static Instant now() {
    return Instant.now();
  }
}

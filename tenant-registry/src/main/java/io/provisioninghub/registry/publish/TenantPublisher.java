package io.provisioninghub.registry.publish;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.registry.credentials.CredentialRow;
import io.provisioninghub.registry.credentials.CredentialStore;
import io.provisioninghub.registry.error.RegistryException;
import io.provisioninghub.registry.tenants.TenantRow;
import io.provisioninghub.registry.tenants.TenantStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes a tenant's full state to {@code tenants.v1}. Called inside the transaction that changed
 * the tenant, after its row is locked and before commit: concurrent changes of one tenant publish
 * in commit order, and a failed publish rolls the change back. A publish whose commit then fails is
 * corrected by the next change or by the republish at start ({@link StartupRepublisher}).
 */
@ApplicationScoped
public class TenantPublisher {

  private static final Logger LOG = Logger.getLogger(TenantPublisher.class);
  private static final long ACK_TIMEOUT_SECONDS = 10;

  private final TenantStore tenants;
  private final CredentialStore credentials;
  private final String topic;
  private final KafkaProducer<String, byte[]> producer;

  public TenantPublisher(
      TenantStore tenants,
      CredentialStore credentials,
      RegistryConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
    this.tenants = tenants;
    this.credentials = credentials;
    this.topic = config.topic();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Reads the tenant (already locked by the caller) and publishes its snapshot. */
  public TenantSnapshot publish(Connection c, String tenantId) throws SQLException {
    TenantRow tenant =
        tenants
            .find(c, tenantId, false)
            .orElseThrow(() -> RegistryException.notFound("no tenant '" + tenantId + "'"));
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
            tenant.createdAt());
    send(tenantId, ContractJson.toBytes(snapshot));
    return snapshot;
  }

  /** Publishes the tombstone of a deleted tenant. */
  public void publishDeletion(String tenantId) {
    send(tenantId, null);
  }

  private void send(String tenantId, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, tenantId, value))
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

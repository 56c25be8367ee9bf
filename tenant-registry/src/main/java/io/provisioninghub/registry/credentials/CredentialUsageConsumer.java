package io.provisioninghub.registry.credentials;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.CredentialUsage;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.registry.Db;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.provisioninghub.support.kafka.GroupConsumerLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Applies the gateways' reports of credential use to {@code last_used_at} (only ever moving it
 * forward). Approximate by design; a lost report only makes lastUsedAt older.
 */
@ApplicationScoped
public class CredentialUsageConsumer {

  private static final Logger LOG = Logger.getLogger(CredentialUsageConsumer.class);

  private final Db db;
  private final SetAsideRecords setAside;
  private final GroupConsumerLoop loop;

  public CredentialUsageConsumer(
      Db db,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.db = db;
    this.setAside = new SetAsideRecords(registry, "usage");
    this.loop =
        new GroupConsumerLoop(
            "credential-usage",
            kafka,
            "tenant-registry-usage",
            Topics.CREDENTIAL_USAGE,
            this::apply,
            registry);
  }

  void onStart(@Observes StartupEvent event) {
    loop.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  /**
   * Applies one report. A report that cannot be read or stored, whatever it throws (an {@link
   * Error} included), is set aside: logged (WARN, with its coordinates and reason), counted in
   * {@code phub_consumer_records_set_aside_total{consumer="usage"}}, and the consumer goes on. Only
   * a database that is unreachable is not the record's fault: that propagates, and the consumer
   * reopens and reads the report again.
   */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      store(ContractJson.usage(record.value()));
    } catch (ContractFormatException e) {
      setAside(record, Reason.UNREADABLE, SetAsideRecords.describe(e));
    } catch (Db.DataAccessException e) {
      String state = e.getCause() instanceof SQLException sql ? sql.getSQLState() : null;
      if (isTransient(state)) {
        throw e;
      }
      setAside(record, Reason.REFUSED, "SQL state " + state);
    } catch (Throwable e) {
      setAside(record, Reason.FAILED, SetAsideRecords.describe(e));
    }
  }

  private void store(CredentialUsage usage) {
    db.inTransaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "update credentials set last_used_at = greatest(coalesce(last_used_at, ?), ?)"
                      + " where id = ? and tenant_id = ?")) {
            Timestamp at = Timestamp.from(usage.lastUsedAt());
            ps.setTimestamp(1, at);
            ps.setTimestamp(2, at);
            ps.setString(3, usage.credentialId());
            ps.setString(4, usage.tenantId());
            return ps.executeUpdate();
          }
        });
  }

  private void setAside(ConsumerRecord<String, byte[]> record, Reason reason, String why) {
    setAside.count(reason);
    LOG.warnf(
        "set aside credential usage record %s-%d@%d (%s): %s",
        record.topic(), record.partition(), record.offset(), reason.label(), why);
  }

  /** The database is unreachable or busy, not refusing the report. */
  private static boolean isTransient(String state) {
    return state == null
        || state.startsWith("08")
        || state.startsWith("53")
        || state.startsWith("57P")
        || state.equals("40001")
        || state.equals("40P01");
  }
}

package io.provisioninghub.registry.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractFormatException;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.provisioninghub.support.kafka.GroupConsumerLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Reads the processor's purge reports ({@code tenants.purges.v1}) and completes the deletion of
 * each purged tenant ({@link TenantService#completeDeletion}). Offsets are committed only after a
 * report is handled, so a report is never lost; handling one twice is harmless (the second finds no
 * DELETING tenant of that life and is ignored).
 */
@ApplicationScoped
public class TenantPurgeConsumer {

  private static final Logger LOG = Logger.getLogger(TenantPurgeConsumer.class);

  private final TenantService service;
  private final SetAsideRecords setAside;
  private final GroupConsumerLoop loop;

  public TenantPurgeConsumer(
      TenantService service,
      MeterRegistry registry,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.service = service;
    this.setAside = new SetAsideRecords(registry, "tenant-purges");
    this.loop =
        new GroupConsumerLoop(
            "tenant-purges",
            kafka,
            "tenant-registry-purges",
            Topics.TENANT_PURGES,
            this::apply,
            registry);
  }

  void onStart(@Observes StartupEvent event) {
    loop.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    loop.stop();
  }

  /** Completes one deletion. An unreadable report is set aside (WARN, counted). */
  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      service.completeDeletion(ContractJson.tenantPurged(record.value()));
    } catch (ContractFormatException e) {
      setAside.count(Reason.UNREADABLE);
      LOG.warnf(
          "set aside tenant purge report %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), SetAsideRecords.describe(e));
    }
    // Anything else (database or broker away while publishing the tombstone) is not the report's
    // fault: it propagates, and the report is read again.
  }
}

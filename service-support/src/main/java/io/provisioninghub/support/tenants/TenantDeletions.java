package io.provisioninghub.support.tenants;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.TenantRecordSignature;
import io.provisioninghub.contracts.TenantRecordSignature.Verdict;
import io.provisioninghub.contracts.TenantRecordSignature.Verifier;
import io.provisioninghub.contracts.TenantSnapshot;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.support.consumer.SetAsideRecords;
import io.provisioninghub.support.consumer.SetAsideRecords.Reason;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Reads {@code tenants.v1} for tenant deletions, for every service that must forget a deleted
 * tenant (the processor, graph-sync, saml-jit): a record is a deletion only if it is a snapshot
 * with status DELETING that the registry signed (ADR 0006), so write access to the topic alone
 * cannot erase a tenant. An unreadable record, or a deletion without a valid signature, is set
 * aside (counted as {@code phub_consumer_records_set_aside_total{consumer, reason}} and logged),
 * and the consumer goes on; every other snapshot, and tombstones, need nothing. A plain class, not
 * a bean: each consumer makes its own with its consumer name and setting.
 */
public final class TenantDeletions {

  private static final System.Logger LOG = System.getLogger(TenantDeletions.class.getName());

  private final SetAsideRecords setAside;
  private final Optional<Verifier> verifier;

  /**
   * @param consumer the fixed {@code consumer} label of the set-aside counter
   * @param publicKeys the registry's trusted public keys ({@code keyId:base64})
   * @param property the setting that holds them, for messages
   * @param devOrTest whether the keys may be missing (then deletions are applied unchecked)
   * @throws IllegalStateException when no key is set outside dev and test, or one is malformed
   */
  public TenantDeletions(
      MeterRegistry registry,
      String consumer,
      Optional<List<String>> publicKeys,
      String property,
      boolean devOrTest) {
    this.setAside = new SetAsideRecords(registry, consumer);
    this.verifier =
        TenantRecordSignature.configuredVerifier(publicKeys.orElse(List.of()), devOrTest, property);
    if (verifier.isEmpty()) {
      LOG.log(
          System.Logger.Level.WARNING,
          property
              + " is not set: a tenant deletion is applied WITHOUT checking the registry's"
              + " signature (dev/test mode only)");
    }
  }

  /**
   * The deletion a record asks for, if the registry signed it; empty for any other record. The
   * snapshot returned carries its {@code createdAt} (which life of the tenant id is deleted) and
   * {@code updatedAt} (when the deletion was asked for).
   */
  public Optional<TenantSnapshot> deletion(ConsumerRecord<String, byte[]> record) {
    TenantSnapshot snapshot;
    try {
      snapshot = record.value() == null ? null : ContractJson.tenant(record.value());
    } catch (RuntimeException e) { // ContractFormatException and any other failure to read it
      setAside.count(Reason.UNREADABLE);
      warn(
          "set aside unreadable tenant record %s-%d@%d: %s",
          record.topic(), record.partition(), record.offset(), SetAsideRecords.describe(e));
      return Optional.empty();
    }
    if (snapshot == null || snapshot.status() != TenantStatus.DELETING) {
      return Optional.empty();
    }
    if (snapshot.createdAt() == null || snapshot.updatedAt() == null) {
      setAside.count(Reason.UNREADABLE);
      warn(
          "set aside the deletion of tenant %s: its snapshot carries no createdAt/updatedAt",
          snapshot.tenantId());
      return Optional.empty();
    }
    if (verifier.isPresent()
        && verifier.get().verify(record.key(), record.value(), name -> header(record, name))
            instanceof Verdict.Invalid invalid) {
      // Someone other than the registry wrote to tenants.v1: delete nothing.
      setAside.count(Reason.BAD_SIGNATURE);
      warn(
          "set aside the deletion of tenant %s from %s-%d@%d: %s; nothing is deleted",
          snapshot.tenantId(), record.topic(), record.partition(), record.offset(), invalid.why());
      return Optional.empty();
    }
    return Optional.of(snapshot);
  }

  /**
   * Handles one record: for a signed deletion, runs {@code delete} until it succeeds. The database
   * (or broker) may be away for a while: each failure is logged and tried again after a backoff of
   * 0.5 s doubling up to 30 s, and the record waits (it is acknowledged when the returned Uni
   * completes). {@code delete} must be idempotent: it is run again after a failure and after a
   * redelivery.
   */
  public Uni<Void> handle(
      ConsumerRecord<String, byte[]> record, Function<TenantSnapshot, Uni<?>> delete) {
    Optional<TenantSnapshot> deletion = deletion(record);
    if (deletion.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    TenantSnapshot snapshot = deletion.get();
    return Uni.createFrom()
        .deferred(() -> delete.apply(snapshot))
        .onFailure()
        .invoke(
            failure ->
                warn(
                    "deleting tenant %s failed, retrying: %s",
                    snapshot.tenantId(), SetAsideRecords.describe(failure)))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30))
        .indefinitely()
        .replaceWithVoid();
  }

  /**
   * {@link #handle} for a service whose deletion blocks (JDBC): {@code remove} runs on a worker
   * thread and answers the rows it deleted per table ({@link DeletedTenantRows}), or empty when the
   * deletion was handled before; what was removed is logged (counts only, never a value).
   *
   * @param what what the service keeps of a tenant, for the log line
   */
  public Uni<Void> handleBlocking(
      ConsumerRecord<String, byte[]> record,
      String what,
      Function<TenantSnapshot, Optional<Map<String, Integer>>> remove) {
    return handle(
        record,
        snapshot ->
            Uni.createFrom()
                .item(
                    () -> {
                      Optional<Map<String, Integer>> removed = remove.apply(snapshot);
                      LOG.log(
                          System.Logger.Level.INFO,
                          removed
                              .map(
                                  rows ->
                                      String.format(
                                          "tenant %s deleted in the registry: removed its %s,"
                                              + " rows per table %s",
                                          snapshot.tenantId(), what, rows))
                              .orElseGet(
                                  () ->
                                      String.format(
                                          "tenant %s: its deletion was handled before, nothing"
                                              + " to remove",
                                          snapshot.tenantId())));
                      return removed;
                    })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
  }

  /** Records set aside for this reason since the service started. */
  public double setAside(Reason reason) {
    return setAside.total(reason);
  }

  private static byte[] header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : header.value();
  }

  private static void warn(String format, Object... args) {
    LOG.log(System.Logger.Level.WARNING, String.format(format, args));
  }
}

package io.provisioninghub.graphsync.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.provisioninghub.graphsync.GraphSyncConfig;
import io.provisioninghub.graphsync.graph.ClientCertificate;
import io.provisioninghub.graphsync.graph.GraphClient;
import io.provisioninghub.graphsync.scim.ScimTarget;
import io.provisioninghub.graphsync.settings.SecretBox;
import io.provisioninghub.graphsync.settings.SettingsStore;
import io.provisioninghub.graphsync.settings.SyncSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs due rounds: every {@code tick} it leases the tenants whose round is due or asked for (at
 * most as many as it has free slots), and runs each on a worker. The lease lives in PostgreSQL, so
 * over all instances one round per tenant runs at a time; it is renewed after every page, and a
 * round whose lease was lost stops without storing anything.
 */
@ApplicationScoped
public class SyncRunner {

  private static final Logger LOG = Logger.getLogger(SyncRunner.class);

  private final SettingsStore store;
  private final ObjectMap map;
  private final SecretBox secrets;
  private final GraphClient graph;
  private final ScimTarget scim;
  private final GraphSyncConfig config;
  private final MeterRegistry registry;
  private final String owner = "graph-sync-" + UUID.randomUUID();
  private final ExecutorService rounds;
  private final Semaphore slots;
  private volatile boolean stopping;

  public SyncRunner(
      SettingsStore store,
      ObjectMap map,
      SecretBox secrets,
      GraphClient graph,
      ScimTarget scim,
      GraphSyncConfig config,
      MeterRegistry registry) {
    this.store = store;
    this.map = map;
    this.secrets = secrets;
    this.graph = graph;
    this.scim = scim;
    this.config = config;
    this.registry = registry;
    this.rounds = Executors.newFixedThreadPool(config.concurrency(), named("graph-sync-round"));
    this.slots = new Semaphore(config.concurrency());
  }

  @Scheduled(
      every = "${phub.graph-sync.tick}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      delayed = "1s")
  void tick() {
    if (stopping) {
      return;
    }
    try {
      runDue();
    } catch (RuntimeException e) {
      // The database may be away for a moment; the next tick tries again.
      LOG.warnf("cannot look for due rounds: %s", e.getMessage());
    }
  }

  /** Leases and starts the due rounds this instance has room for. */
  public synchronized void runDue() {
    int free = slots.availablePermits();
    if (free == 0) {
      return;
    }
    for (SyncSettings tenant : store.claimDue(owner, config.lease(), free)) {
      slots.acquireUninterruptibly();
      rounds.submit(
          () -> {
            try {
              run(tenant);
            } finally {
              slots.release();
            }
          });
    }
  }

  private void run(SyncSettings settings) {
    String tenant = settings.tenantId();
    UUID roundId = UUID.randomUUID();
    MDC.put("tenantId", tenant);
    MDC.put("roundId", roundId.toString());
    ExecutorService writers =
        Executors.newFixedThreadPool(config.writeConcurrency(), named("graph-sync-write"));
    // The lease is renewed on a heartbeat as well as after every page, so a long stretch of writes
    // (a large group's members) does not outlast it; once lost, the round stops at its next check.
    java.util.concurrent.atomic.AtomicBoolean lost =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(named("graph-sync-lease"));
    long every = Math.max(1, config.lease().toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(
        () -> {
          try {
            if (!store.renewLease(tenant, owner, config.lease())) {
              lost.set(true);
            }
          } catch (RuntimeException e) {
            LOG.debugf("tenant %s: lease not renewed this time: %s", tenant, e.getMessage());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    SyncRound round = null;
    String error = null;
    long start = System.nanoTime();
    boolean full = settings.usersDeltaLink() == null || settings.groupsDeltaLink() == null;
    try {
      store.roundStarted(tenant, roundId, full ? "full" : "incremental");
      String secret = secrets.decrypt(tenant, settings.encryptedSecret());
      GraphClient.Credentials credentials =
          settings.clientCertificate() == null
              ? new GraphClient.Credentials(settings.entraTenantId(), settings.clientId(), secret)
              : new GraphClient.Credentials(
                  settings.entraTenantId(),
                  settings.clientId(),
                  null,
                  ClientCertificate.of(settings.clientCertificate(), secret));
      round =
          new SyncRound(
              settings,
              credentials,
              graph,
              scim,
              map,
              new SyncRound.Hooks() {
                @Override
                public boolean stillLeased() {
                  return !lost.get() && store.renewLease(tenant, owner, config.lease());
                }

                @Override
                public boolean storeDeltaLink(boolean users, String link) {
                  return store.storeDeltaLink(tenant, owner, users, link);
                }
              },
              writers,
              config.scim().membersPerPatch());
      round.run();
      LOG.infof(
          "tenant %s: %s round done: %s",
          tenant, round.full() ? "full" : "incremental", round.counts());
    } catch (RuntimeException e) {
      // Messages are ours (status codes, Graph and SCIM error codes), never a secret or a body.
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.warnf("tenant %s: round failed: %s", tenant, error);
    } finally {
      heartbeat.shutdownNow();
      writers.shutdownNow();
      // A round that failed before it began (a secret that no longer opens) keeps the kind it
      // started as; one that began may have turned full (an expired delta link).
      String kind = (round != null ? round.full() : full) ? "full" : "incremental";
      Map<String, Long> counts = round == null ? Map.of() : round.counts();
      try {
        store.roundEnded(tenant, roundId, kind, counts, error);
        store.release(tenant, owner);
      } catch (RuntimeException e) {
        LOG.warnf("tenant %s: could not record the round's end: %s", tenant, e.getMessage());
      }
      String result = error == null ? "succeeded" : "failed";
      Timer.builder("phub.graph.sync.rounds")
          .description("Graph sync rounds, by kind and result")
          .tag("kind", kind)
          .tag("result", result)
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      counts.forEach(
          (name, n) ->
              Counter.builder("phub.graph.sync.changes")
                  .description("Changes a Graph sync round wrote through the SCIM API, by kind")
                  .tag("change", name)
                  .register(registry)
                  .increment(n));
      MDC.remove("tenantId");
      MDC.remove("roundId");
    }
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    rounds.shutdownNow();
  }

  /** Rounds running on this instance now. */
  public int running() {
    return config.concurrency() - slots.availablePermits();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

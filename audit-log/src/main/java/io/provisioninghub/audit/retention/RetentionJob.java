package io.provisioninghub.audit.retention;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Runs the retention purge on a schedule; a failed run is logged and retried next time. */
@ApplicationScoped
public class RetentionJob {

  private static final Logger LOG = Logger.getLogger(RetentionJob.class);

  private final RetentionService retention;

  public RetentionJob(RetentionService retention) {
    this.retention = retention;
  }

  @Scheduled(
      identity = "audit-retention",
      every = "${phub.audit.retention.every:1h}",
      delayed = "1m",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    try {
      retention.purge(Instant.now());
    } catch (SQLException e) {
      LOG.warnf("retention purge failed (SQL state %s); next run retries", e.getSQLState());
    }
  }
}

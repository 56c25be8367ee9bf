package io.provisioninghub.audit.retention;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes operations older than the retention period, and support access records older than theirs,
 * a bounded batch per statement.
 */
@ApplicationScoped
public class RetentionService {

  private static final Logger LOG = Logger.getLogger(RetentionService.class);

  // Each statement commits on its own (auto-commit), so a long purge never holds one big
  // transaction; the received_at index finds the oldest rows without a scan.
  private static final String DELETE_BATCH =
      """
      delete from audit.operations
      where command_id in (
          select command_id from audit.operations where received_at < ? limit ?)
      """;

  // Append-only: the oldest rows sit first, so the inner scan stops after a batch of them.
  private static final String DELETE_ACCESS_BATCH =
      """
      delete from audit.support_access
      where id in (select id from audit.support_access where at < ? limit ?)
      """;

  private static final String DELETE_SKIPPED =
      "delete from audit.skipped_records where skipped_at < ?";

  private final AgroalDataSource dataSource;
  private final RetentionConfig config;

  public RetentionService(AgroalDataSource dataSource, RetentionConfig config) {
    this.dataSource = dataSource;
    this.config = config;
  }

  /** Deletes everything received before {@code now - period}; returns the number of rows. */
  public long purge(Instant now) throws SQLException {
    return purge(now, config.batchSize());
  }

  long purge(Instant now, int batchSize) throws SQLException {
    Instant cutoff = now.minus(config.period());
    long deleted = 0;
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(true);
      try (PreparedStatement st = connection.prepareStatement(DELETE_BATCH)) {
        st.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
        st.setInt(2, batchSize);
        int n;
        do {
          n = st.executeUpdate();
          deleted += n;
        } while (n == batchSize);
      }
      try (PreparedStatement st = connection.prepareStatement(DELETE_SKIPPED)) {
        st.setObject(1, cutoff.atOffset(ZoneOffset.UTC));
        st.executeUpdate();
      }
      Instant accessCutoff = now.minus(config.accessLogPeriod());
      try (PreparedStatement st = connection.prepareStatement(DELETE_ACCESS_BATCH)) {
        st.setObject(1, accessCutoff.atOffset(ZoneOffset.UTC));
        st.setInt(2, batchSize);
        int n;
        long accesses = 0;
        do {
          n = st.executeUpdate();
          accesses += n;
        } while (n == batchSize);
        if (accesses > 0) {
          LOG.infof(
              "retention: deleted %d support access record(s) from before %s",
              accesses, accessCutoff);
        }
      }
    }
    if (deleted > 0) {
      LOG.infof("retention: deleted %d operation(s) received before %s", deleted, cutoff);
    }
    return deleted;
  }
}

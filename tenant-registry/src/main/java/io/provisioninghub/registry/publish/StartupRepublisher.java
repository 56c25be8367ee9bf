package io.provisioninghub.registry.publish;

import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.tenants.TenantRow;
import io.provisioninghub.registry.tenants.TenantStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Republishes every tenant at start, so the compacted topic matches the database even if a crash
 * fell between a publish and its commit.
 */
@ApplicationScoped
public class StartupRepublisher {

  private static final Logger LOG = Logger.getLogger(StartupRepublisher.class);

  void onStart(
      @Observes StartupEvent event, Db db, TenantStore tenants, TenantPublisher publisher) {
    List<String> ids = db.inTransaction(c -> tenants.list(c).stream().map(TenantRow::id).toList());
    for (String id : ids) {
      db.inTransaction(
          c -> {
            if (tenants.find(c, id, true).isPresent()) {
              publisher.publish(c, id);
            }
            return null;
          });
    }
    LOG.infof("republished %d tenant(s)", ids.size());
  }
}

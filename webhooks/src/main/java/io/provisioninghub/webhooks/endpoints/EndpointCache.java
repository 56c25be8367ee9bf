package io.provisioninghub.webhooks.endpoints;

import io.provisioninghub.webhooks.Db;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The enabled endpoints, as the event consumer matches events against them: read once and again
 * after every change made through this instance; changes made through another instance are seen
 * within {@link #MAX_AGE_MILLIS}.
 */
@ApplicationScoped
public class EndpointCache {

  static final long MAX_AGE_MILLIS = 10_000;

  private final Db db;
  private final EndpointStore store;
  private volatile List<Endpoint> endpoints;
  private volatile long loadedAt;

  public EndpointCache(Db db, EndpointStore store) {
    this.db = db;
    this.store = store;
  }

  public List<Endpoint> enabled() {
    List<Endpoint> current = endpoints;
    if (current == null || System.currentTimeMillis() - loadedAt > MAX_AGE_MILLIS) {
      current =
          db.inTransaction(c -> store.list(c, Optional.empty())).stream()
              .filter(Endpoint::enabled)
              .toList();
      endpoints = current;
      loadedAt = System.currentTimeMillis();
    }
    return current;
  }

  public void changed() {
    endpoints = null;
  }
}

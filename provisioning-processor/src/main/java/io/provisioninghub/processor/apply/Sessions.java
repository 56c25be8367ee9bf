package io.provisioninghub.processor.apply;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The transaction's session for a query. Commands applied together leave their rows pending in the
 * session (written in batches at the commit); a query must see them, so it flushes them first.
 * Loading a row by id needs no flush: the session answers it.
 */
public final class Sessions {

  private Sessions() {}

  /** The current session, with every pending change written to the database. */
  public static Uni<Mutiny.Session> flushed() {
    return Panache.getSession().call(Mutiny.Session::flush);
  }
}

package io.provisioninghub.samljit.replay;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deletes expired AuthnRequest ids and assertion ids past NotOnOrAfter + skew. */
@ApplicationScoped
public class Purge {

  private static final Logger LOG = Logger.getLogger(Purge.class);

  private final SignInStore store;

  public Purge(SignInStore store) {
    this.store = store;
  }

  @Scheduled(
      every = "${phub.saml-jit.purge-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void purge() {
    int n = store.purge();
    if (n > 0) {
      LOG.debugf("purged %d expired sign-in rows", n);
    }
  }
}

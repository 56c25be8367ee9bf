package io.provisioninghub.graphsync.scim;

import io.provisioninghub.graphsync.GraphSyncConfig;
import io.provisioninghub.support.sources.SourceTokens;
import jakarta.inject.Singleton;

/** graph-sync's tokens to the gateway: source {@code graph} (ADR 0022). */
@Singleton
public class ServiceTokens extends SourceTokens {

  public static final String SOURCE = "graph";

  public ServiceTokens(GraphSyncConfig config) {
    super(
        readPrivateKey(
            config.scim().signingKeyLocation(), "phub.graph-sync.scim.signing-key-location"),
        new Settings(
            config.scim().issuer(),
            config.scim().audience(),
            config.scim().tokenTtl(),
            "graph-sync",
            SOURCE));
  }
}

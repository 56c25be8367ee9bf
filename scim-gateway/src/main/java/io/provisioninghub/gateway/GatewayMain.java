package io.provisioninghub.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The gateway's entry point. It turns off Quarkus' own check of the request URI before Quarkus
 * starts (the property is read when the HTTP root handler is built), so a malformed URI reaches
 * {@link io.provisioninghub.gateway.http.RequestLimits}, which makes the same check and answers it
 * with a SCIM error instead of an empty 400. Every deployment gets this without a JVM option.
 */
@QuarkusMain
public final class GatewayMain {

  private GatewayMain() {}

  public static void main(String... args) {
    System.setProperty("vertx.disableURIValidation", "true");
    Quarkus.run(args);
  }
}

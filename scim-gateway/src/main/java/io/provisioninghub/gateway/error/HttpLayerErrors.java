package io.provisioninghub.gateway.error;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.scim.error.ScimErrors;
import io.provisioninghub.scim.error.ScimType;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * SCIM error bodies for failures below the JAX-RS layer: requests the gateway's HTTP filters refuse
 * before routing ({@code http.RequestLimits}, {@code http.BodySizeLimit}) and failures of the
 * Vert.x router itself (a body cut at the size limit, a request it cannot route). JAX-RS failures
 * are mapped in {@link ScimExceptionMappers}.
 */
public class HttpLayerErrors {

  private static final Logger LOG = Logger.getLogger(HttpLayerErrors.class);

  private final GatewayConfig config;

  public HttpLayerErrors(GatewayConfig config) {
    this.config = config;
  }

  /**
   * Ends the exchange with {@code status} and an RFC 7644 section 3.12 body, closing the
   * connection: the request (or its body) may not have been read, so the connection cannot carry
   * another one.
   */
  public static void refuse(RoutingContext rc, int status, ScimType scimType, String detail) {
    HttpServerResponse response = rc.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      rc.request().connection().close();
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", ScimMediaType.SCIM_JSON)
        .putHeader("Connection", "close");
    if (status == 429 || status == 503) {
      // A client told to come back is told when, whichever layer refused it.
      response.putHeader("Retry-After", "1");
    }
    response.end(ScimErrors.body(status, scimType, detail).toString());
  }

  /** Whether the request is for the SCIM API, whose every error carries a SCIM body. */
  public static boolean isScim(RoutingContext rc) {
    String path = rc.request().path();
    return path != null && path.startsWith("/scim/");
  }

  /**
   * Registers {@link #routerFailure} on the router directly. (A reactive {@code @Route} would also
   * put a body handler in front of {@code /scim/*}, which reads every body before the resources: a
   * {@code Content-Length: 0} request then waited forever, an h2c upgrade got a 500.)
   */
  void register(@Observes Router router) {
    router.route("/scim/*").failureHandler(this::routerFailure);
  }

  /** The router failed a SCIM request (e.g. its body over the limit): answer with a SCIM body. */
  void routerFailure(RoutingContext rc) {
    int status = rc.statusCode();
    if (status < 400) {
      status = 500;
    }
    if (status >= 500) {
      LOG.error("request failed below the resource layer", rc.failure());
      refuse(rc, 500, null, "internal error");
      return;
    }
    switch (status) {
      case 400 -> refuse(rc, 400, ScimType.invalidSyntax, "the request could not be read");
      case 413 ->
          refuse(
              rc,
              413,
              null,
              "the request body is over the limit of "
                  + io.provisioninghub.gateway.http.BodySizeLimit.limitFor(
                      rc.request().path(), config)
                  + " bytes");
      default -> refuse(rc, status, null, "the request was refused (HTTP " + status + ")");
    }
  }
}

package io.provisioninghub.gateway.http;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.scim.error.ScimErrors;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a SCIM request whose declared body is over the limit with 413 and a SCIM error body,
 * before the body is read. (A body that lies about its length is still cut at the same limit by the
 * HTTP server.)
 */
public class BodySizeLimit {

  private final long limit;

  public BodySizeLimit(GatewayConfig config) {
    this.limit = config.maxBodyBytes();
  }

  @RouteFilter(100)
  void limit(RoutingContext rc) {
    String length = rc.request().getHeader("Content-Length");
    if (length != null && rc.request().path().startsWith("/scim/")) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > limit) {
        rc.response()
            .setStatusCode(413)
            .putHeader("Content-Type", ScimMediaType.SCIM_JSON)
            .putHeader("Connection", "close")
            .end(
                ScimErrors.body(
                        413,
                        null,
                        "the request body is "
                            + declared
                            + " bytes; the limit is "
                            + limit
                            + " bytes")
                    .toString());
        return;
      }
    }
    rc.next();
  }
}

package io.provisioninghub.gateway.http;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.error.HttpLayerErrors;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Refuses a SCIM request whose body is over the limit with 413 and a SCIM error body: at once when
 * its declared Content-Length is over it, before the body is read; a chunked body (no length) is
 * read here up to the limit and refused as soon as it passes it (the router fails the request with
 * 413 and {@link HttpLayerErrors} answers). The resources then get the body already read.
 */
public class BodySizeLimit {

  private final long limit;
  private final BodyHandler chunked;

  public BodySizeLimit(GatewayConfig config) {
    this.limit = config.maxBodyBytes();
    this.chunked = BodyHandler.create(false).setBodyLimit(limit);
  }

  @RouteFilter(100)
  void limit(RoutingContext rc) {
    if (!HttpLayerErrors.isScim(rc)) {
      rc.next();
      return;
    }
    String length = rc.request().getHeader("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        declared = -1;
      }
      if (declared > limit) {
        HttpLayerErrors.refuse(
            rc,
            413,
            null,
            "the request body is " + declared + " bytes; the limit is " + limit + " bytes");
        return;
      }
      rc.next();
    } else if (rc.request().getHeader("Transfer-Encoding") != null) {
      // Quarkus paused the request until a handler reads it; this one does.
      rc.request().resume();
      chunked.handle(rc);
    } else {
      rc.next();
    }
  }
}

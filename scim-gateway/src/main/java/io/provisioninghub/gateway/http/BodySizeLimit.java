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

  /** The bulk endpoint, whose limit is {@code bulk.maxPayloadSize} (RFC 7644 section 3.7.4). */
  public static final String BULK_PATH = "/scim/v2/Bulk";

  private final long limit;
  private final long bulkLimit;
  private final BodyHandler chunked;
  private final BodyHandler chunkedBulk;

  public BodySizeLimit(GatewayConfig config) {
    this.limit = config.maxBodyBytes();
    this.bulkLimit = config.bulk().maxPayloadBytes();
    this.chunked = BodyHandler.create(false).setBodyLimit(limit);
    this.chunkedBulk = BodyHandler.create(false).setBodyLimit(bulkLimit);
  }

  /** The body limit of a SCIM request to {@code path}. */
  public static long limitFor(String path, GatewayConfig config) {
    return isBulk(path) ? config.bulk().maxPayloadBytes() : config.maxBodyBytes();
  }

  static boolean isBulk(String path) {
    return BULK_PATH.equals(path) || (BULK_PATH + "/").equals(path);
  }

  @RouteFilter(100)
  void limit(RoutingContext rc) {
    if (!HttpLayerErrors.isScim(rc)) {
      rc.next();
      return;
    }
    boolean bulk = isBulk(rc.request().path());
    long limit = bulk ? bulkLimit : this.limit;
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
            "the request body is "
                + declared
                + " bytes; the limit is "
                + limit
                + " bytes"
                + (bulk ? " (bulk.maxPayloadSize in ServiceProviderConfig)" : ""));
        return;
      }
      rc.next();
    } else if (rc.request().getHeader("Transfer-Encoding") != null) {
      // Quarkus paused the request until a handler reads it; this one does.
      rc.request().resume();
      (bulk ? chunkedBulk : chunked).handle(rc);
    } else {
      rc.next();
    }
  }
}

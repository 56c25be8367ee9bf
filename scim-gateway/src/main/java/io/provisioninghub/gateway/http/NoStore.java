package io.provisioninghub.gateway.http;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Every SCIM response, errors included, carries {@code Cache-Control: no-store}: it holds personal
 * data and answers for one tenant, so no shared or browser cache may keep it.
 */
public class NoStore {

  // Before RequestLimits (1001), so its refusals carry the header too.
  @RouteFilter(1002)
  void mark(RoutingContext rc) {
    String path = rc.request().path(); // raw: a malformed encoding is RequestLimits' to answer
    if (path != null && path.startsWith("/scim/")) {
      rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }
    rc.next();
  }
}

package io.provisioninghub.gateway.http;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Resource endpoint names are matched case-insensitively: {@code /scim/v2/users/{id}}, {@code
 * /scim/v2/serviceproviderconfig} and the like are routed as {@code /scim/v2/Users/{id}}, {@code
 * /scim/v2/ServiceProviderConfig}, because widely used clients and Microsoft's own reference
 * tooling send them so. Only the endpoint segment after the base is rewritten; ids, URNs and the
 * query are kept byte for byte.
 *
 * <p>The request is rerouted with the canonical path before any other filter of the gateway runs,
 * so authentication, limits, metrics, the audit record of a refusal and the JAX-RS resources all
 * see one spelling. Links ({@code Location}, {@code meta.location}) never copy the request path:
 * they are built from the base URL and the canonical endpoint name.
 */
public class CanonicalPaths {

  /** The SCIM base; the endpoint segment follows it. Matched exactly. */
  static final String BASE = "/scim/v2/";

  /** RFC 7644 section 3.2 endpoint names, in their canonical spelling. */
  static final List<String> ENDPOINTS =
      List.of("Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "Bulk");

  // Before every other filter (RequestLimits is 1001): a reroute runs the filters again, and a
  // filter that ran before it would run twice.
  @RouteFilter(2000)
  void canonicalize(RoutingContext rc) {
    String canonical = canonical(rc.request().path());
    if (canonical == null) {
      rc.next();
      return;
    }
    String query = rc.request().query();
    rc.reroute(rc.request().method(), query == null ? canonical : canonical + "?" + query);
  }

  /**
   * The path with its endpoint segment in canonical spelling, or null if {@code path} is already
   * canonical or names no endpoint (then nothing is rerouted, so a reroute cannot loop).
   */
  static String canonical(String path) {
    if (path == null || !path.startsWith(BASE)) {
      return null;
    }
    int start = BASE.length();
    int end = path.indexOf('/', start);
    String segment = end < 0 ? path.substring(start) : path.substring(start, end);
    for (String endpoint : ENDPOINTS) {
      if (endpoint.equalsIgnoreCase(segment)) {
        return endpoint.equals(segment)
            ? null
            : BASE + endpoint + (end < 0 ? "" : path.substring(end));
      }
    }
    return null;
  }
}

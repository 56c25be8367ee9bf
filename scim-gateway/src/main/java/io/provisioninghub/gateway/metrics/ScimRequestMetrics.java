package io.provisioninghub.gateway.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.provisioninghub.gateway.auth.AuthenticationFilter;
import io.provisioninghub.gateway.http.ClientRequestIds;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.MDC;

/**
 * Times every SCIM request from its arrival to its last byte, whatever answered it (resource,
 * exception mapper, or a route filter such as the body-size limit): {@code
 * phub_scim_requests_seconds{operation, resource, status, outcome, source}} ({@code source}: {@code
 * scim}, or the source service that wrote, e.g. {@code graph}). Also puts the request id (the
 * client's correlation id, or a generated one) into the logging context of the request.
 */
@Singleton
public class ScimRequestMetrics {

  public static final String NAME = "phub.scim.requests";
  static final String REQUEST_ID = "requestId";

  private final MeterRegistry registry;

  public ScimRequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  // Before every other filter (the body-size limit is 100), so its refusals are timed too.
  @RouteFilter(1000)
  void observe(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    String path = request.path();
    if (path == null || !path.startsWith("/scim/")) {
      rc.next();
      return;
    }
    String clientId = ClientRequestIds.from(request.headers()::get);
    MDC.put(REQUEST_ID, clientId != null ? clientId : UUID.randomUUID().toString());
    long start = System.nanoTime();
    String method = request.method().name();
    boolean hasFilter = request.getParam("filter") != null;
    rc.addEndHandler(
        done -> {
          Object source = rc.get(AuthenticationFilter.SOURCE_KEY);
          record(
              method,
              path,
              hasFilter,
              rc.response().getStatusCode(),
              source == null ? "scim" : source.toString(),
              start);
        });
    rc.next();
  }

  private void record(
      String method, String path, boolean hasFilter, int status, String source, long start) {
    ScimOperations what = ScimOperations.of(method, path, hasFilter);
    Timer.builder(NAME)
        .description("SCIM requests, from arrival to the last byte of the response")
        .tag("operation", what.operation())
        .tag("resource", what.resource())
        .tag("status", Integer.toString(status))
        .tag("outcome", ScimOperations.outcome(status))
        .tag("source", source)
        .register(registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}

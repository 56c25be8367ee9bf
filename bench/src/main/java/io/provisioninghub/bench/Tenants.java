package io.provisioninghub.bench;

import io.provisioninghub.contracts.ContractJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer tokens the workloads use, one per tenant. With the registry's admin API (from the
 * stack's credentials.env) the harness onboards its own tenants, with a rate limit high enough not
 * to throttle the load; without it every tenant slot shares the one token given.
 */
final class Tenants {

  private final List<String> tokens;
  final boolean shared;

  private Tenants(List<String> tokens, boolean shared) {
    this.tokens = tokens;
    this.shared = shared;
  }

  String token(int tenant) {
    return tokens.get(tenant % tokens.size());
  }

  static Tenants provision(Options options, String run) throws Exception {
    if (options.adminBaseUrl() == null || options.adminToken() == null) {
      return new Tenants(List.of(options.token()), true);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> tokens = new ArrayList<>();
    for (int t = 0; t < Math.max(1, options.tenants()); t++) {
      String id = "bench-" + run + "-" + t;
      send(
          http,
          options,
          "/tenants",
          "{\"id\":\""
              + id
              + "\",\"displayName\":\"Benchmark tenant "
              + t
              + "\",\"rateLimit\":{\"requestsPerSecond\":100000,\"burst\":100000}"
              + (options.passwordPolicy() == null
                  ? ""
                  : ",\"passwordPolicy\":\"" + options.passwordPolicy() + "\"")
              + "}",
          201);
      String body = send(http, options, "/tenants/" + id + "/credentials", "{}", 201);
      tokens.add(ContractJson.mapper().readTree(body).get("secret").asText());
    }
    // The gateways learn of new tenants from tenants.v1 within moments; wait until the last works.
    Scim probe = new Scim(options.baseUrl(), new Stats(), 1);
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (probe
              .callSync(
                  "probe",
                  tokens.get(tokens.size() - 1),
                  "GET",
                  "/Users?count=0",
                  null,
                  java.util.Set.of(200))
              .status()
          != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the gateway did not accept the benchmark tenants in 30 s");
        }
        Thread.sleep(100);
      }
    } finally {
      probe.close();
    }
    return new Tenants(tokens, false);
  }

  private static String send(
      HttpClient http, Options options, String path, String json, int expected) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(options.adminBaseUrl() + path))
                .header("Authorization", "Bearer " + options.adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException("admin API " + path + " answered " + r.statusCode());
    }
    return r.body();
  }
}

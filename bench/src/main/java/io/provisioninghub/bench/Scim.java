package io.provisioninghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** SCIM requests as identity providers send them, timed into {@link Stats}. */
final class Scim {

  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private final Vertx vertx;
  private final HttpClient http;
  private final String baseUrl;
  private final Stats stats;

  /**
   * A client on one Vert.x event loop with up to {@code maxConnections} keep-alive connections. The
   * harness shares the machine with the stack it measures, so its own cost per request is kept low:
   * {@code java.net.http} spent about twice the gateway's CPU per read here.
   */
  Scim(String baseUrl, Stats stats, int maxConnections) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.stats = stats;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setKeepAlive(true)
                .setConnectTimeout(5_000)
                .setIdleTimeout(0)
                .setDecompressionSupported(false),
            new PoolOptions().setHttp1MaxSize(Math.max(1, maxConnections)).setMaxWaitQueueSize(-1));
  }

  /** One timed request; completes with the response (or a synthetic 599 on a transport error). */
  CompletableFuture<Reply> call(
      String op,
      String token,
      String method,
      String path,
      String body,
      Set<Integer> expected,
      long intendedNanos) {
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setAbsoluteURI(baseUrl + path)
            .setTimeout(65_000)
            .putHeader("Authorization", "Bearer " + token);
    if (body != null) {
      request.putHeader("Content-Type", "application/scim+json");
    }
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    http.request(request)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(
            response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())))
        .onComplete(
            done -> {
              long micros = (System.nanoTime() - intendedNanos) / 1_000;
              Reply r =
                  done.succeeded() ? done.result() : new Reply(599, String.valueOf(done.cause()));
              stats.record(op, micros, r.status(), !expected.contains(r.status()));
              reply.complete(r);
            });
    return reply;
  }

  /** Closes the connections and the event loop. */
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  Reply callSync(
      String op, String token, String method, String path, String body, Set<Integer> expected) {
    return call(op, token, method, path, body, expected, System.nanoTime()).join();
  }

  static String filter(String resource, String filter) {
    return "/" + resource + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
  }

  static String user(String userName, String externalId) {
    return "{\"schemas\":[\""
        + USER
        + "\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],\"externalId\":\""
        + externalId
        + "\",\"userName\":\""
        + userName
        + "\",\"active\":true,\"displayName\":\"Bench User\",\"emails\":[{\"primary\":true,"
        + "\"type\":\"work\",\"value\":\""
        + userName
        + "\"}],\"name\":{\"givenName\":\"Bench\",\"familyName\":\"User\"},"
        + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"Load\"}}";
  }

  /** As {@link #user}, with a password (as Okta sends one with every create). */
  static String userWithPassword(String userName, String externalId, String password) {
    String user = user(userName, externalId);
    return user.substring(0, user.length() - 1) + ",\"password\":\"" + password + "\"}";
  }

  static String group(String displayName) {
    return "{\"schemas\":[\""
        + GROUP
        + "\"],\"displayName\":\""
        + displayName
        + "\",\"members\":[]}";
  }

  static String patch(String operationsJson) {
    return "{\"schemas\":[\"" + PATCH_OP + "\"],\"Operations\":[" + operationsJson + "]}";
  }

  /** A group created with these members in the same request. */
  static String group(String displayName, List<String> memberIds) {
    String group = group(displayName).replace(",\"members\":[]", "");
    StringBuilder members = new StringBuilder();
    for (String id : memberIds) {
      members
          .append(members.length() == 0 ? "" : ",")
          .append("{\"value\":\"")
          .append(id)
          .append("\"}");
    }
    return group.substring(0, group.length() - 1) + ",\"members\":[" + members + "]}";
  }

  /** One operation of a bulk request (RFC 7644 section 3.7). */
  static String bulkOperation(String method, String path, String bulkId, String data) {
    return "{\"method\":\""
        + method
        + "\",\"path\":\""
        + path
        + "\",\"bulkId\":\""
        + bulkId
        + "\",\"data\":"
        + data
        + "}";
  }

  static String bulk(List<String> operations) {
    return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
        + String.join(",", operations)
        + "]}";
  }

  static String addMembers(Iterable<String> ids) {
    StringBuilder values = new StringBuilder();
    for (String id : ids) {
      values
          .append(values.length() == 0 ? "" : ",")
          .append("{\"value\":\"")
          .append(id)
          .append("\"}");
    }
    return patch("{\"op\":\"Add\",\"path\":\"members\",\"value\":[" + values + "]}");
  }

  static String removeMember(String id) {
    return patch("{\"op\":\"Remove\",\"path\":\"members[value eq \\\"" + id + "\\\"]\"}");
  }

  /** A response: status and body. */
  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return ContractJson.mapper().readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }

    String id() {
      return json().get("id").asText();
    }
  }
}

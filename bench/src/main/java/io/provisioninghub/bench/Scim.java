package io.provisioninghub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** SCIM requests as identity providers send them, timed into {@link Stats}. */
final class Scim {

  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private final HttpClient http;
  private final String baseUrl;
  private final Stats stats;

  Scim(String baseUrl, Stats stats) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.stats = stats;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
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
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(65))
            .header("Authorization", "Bearer " + token);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/scim+json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .handle(
            (response, failure) -> {
              long micros = (System.nanoTime() - intendedNanos) / 1_000;
              int status = failure != null ? 599 : response.statusCode();
              stats.record(op, micros, status, !expected.contains(status));
              return new Reply(status, failure != null ? String.valueOf(failure) : response.body());
            });
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

package io.provisioninghub.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** A minimal SCIM client for the system tests: any base URL, any bearer token. */
final class Scim {

  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final String token;

  Scim(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  String baseUrl() {
    return baseUrl;
  }

  String token() {
    return token;
  }

  Scim as(String otherToken) {
    return new Scim(baseUrl, otherToken);
  }

  Reply post(String path, String json) {
    return send(
        request(path).header("Content-Type", "application/scim+json").POST(body(json)).build());
  }

  Reply post(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/scim+json")
            .POST(body(json))
            .build());
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply get(String path, String header, String value) {
    return send(request(path).header(header, value).GET().build());
  }

  /** GET with a filter, form-encoded the way Entra sends it (spaces as '+'). */
  Reply filter(String resource, String filter, String extraQuery) {
    String q =
        "?filter="
            + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8)
            + (extraQuery == null ? "" : "&" + extraQuery);
    return get("/" + resource + q);
  }

  Reply put(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/scim+json")
            .PUT(body(json))
            .build());
  }

  Reply patch(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/scim+json")
            .method("PATCH", body(json))
            .build());
  }

  Reply delete(String path, String... headers) {
    return send(request(path, headers).DELETE().build());
  }

  Reply postRaw(String path, String contentType, byte[] bytes) {
    return send(
        request(path)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build());
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder builder = request(path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return builder;
  }

  Reply createUser(String userName) {
    return post(
        "/Users", "{\"schemas\":[\"" + USER_SCHEMA + "\"],\"userName\":\"" + userName + "\"}");
  }

  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID() + "@contoso.com";
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response);
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response, with its body parsed as JSON when there is one. */
  record Reply(HttpResponse<String> response) {
    int status() {
      return response.statusCode();
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return ContractJson.mapper().readTree(response.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + response.body(), e);
      }
    }

    @Override
    public String toString() {
      return status() + " " + response.body();
    }
  }
}

package io.provisioninghub.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal client of the tenant registry's admin API, as an operator would use it. */
final class Registry {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String adminBaseUrl;
  private final String token;

  Registry(String adminBaseUrl, String token) {
    this.adminBaseUrl = adminBaseUrl;
    this.token = token;
  }

  Registry as(String otherToken) {
    return new Registry(adminBaseUrl, otherToken);
  }

  /** Creates an active tenant with the default rate limit. */
  Reply createTenant(String id) {
    return post("/tenants", "{\"id\":\"" + id + "\",\"displayName\":\"Tenant " + id + "\"}");
  }

  /** Issues a credential and returns its secret. */
  String issueSecret(String tenantId) {
    Reply issued = post("/tenants/" + tenantId + "/credentials", "{}");
    if (issued.status() != 201) {
      throw new AssertionError("issue failed: " + issued);
    }
    return issued.json().get("secret").asText();
  }

  Reply post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply put(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply patch(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Reply get(String path) {
    return send(request(path).GET().build());
  }

  Reply delete(String path) {
    return send(request(path).DELETE().build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(adminBaseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static Reply send(HttpRequest request) {
    try {
      return new Reply(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body. */
  record Reply(HttpResponse<String> response) {
    int status() {
      return response.statusCode();
    }

    String body() {
      return response.body();
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

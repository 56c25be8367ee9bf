package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON over HTTP to one of the services' APIs with a bearer token. A 4xx answer ends the command
 * with exit code 1 and the API's own message (its {@code detail}, {@code message} or {@code
 * error}); a 5xx or no answer with exit code 3.
 */
final class ApiClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final String baseUrl;
  private final String token;

  ApiClient(String baseUrl, String token) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
  }

  /**
   * The API's base URL: {@code url} as given if it has a path ({@code ADMIN_BASE_URL} is {@code
   * http://host:port/admin/v1}), else the service's root with {@code apiPath} added, so that {@code
   * PHUB_REGISTRY_URL=http://host:port} works too.
   */
  static String apiBase(String url, String apiPath) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new Phubctl.Failure(Phubctl.USAGE, "not a URL: " + url);
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new Phubctl.Failure(Phubctl.USAGE, "not an http(s) URL: " + url);
    }
    String path = uri.getPath();
    return path == null || path.isEmpty() || path.equals("/")
        ? url.replaceAll("/+$", "") + apiPath
        : url;
  }

  JsonNode get(String path) {
    return send("GET", path, null);
  }

  JsonNode post(String path, Object body) {
    return send("POST", path, body);
  }

  JsonNode patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  JsonNode put(String path, Object body) {
    return send("PUT", path, body);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** A path segment, encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code ?a=b&c=d} of the non-null values, or "". */
  static String query(Map<String, String> parameters) {
    String q =
        parameters.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return q.isEmpty() ? "" : "?" + q;
  }

  private JsonNode send(String method, String path, Object body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    try {
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(
                method,
                HttpRequest.BodyPublishers.ofByteArray(Phubctl.JSON.writeValueAsBytes(body)));
      }
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        String text = response.body();
        return text == null || text.isBlank()
            ? NullNode.getInstance()
            : Phubctl.JSON.readTree(text);
      }
      String why = method + " " + path + ": HTTP " + status + message(response.body());
      throw new Phubctl.Failure(status >= 500 ? Phubctl.UNAVAILABLE : Phubctl.REFUSED, why);
    } catch (IOException e) {
      throw new Phubctl.Failure(
          Phubctl.UNAVAILABLE,
          method
              + " "
              + baseUrl
              + path
              + " failed: "
              // A refused connection's message is null: its class says what happened.
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Phubctl.Failure(Phubctl.UNAVAILABLE, "interrupted");
    }
  }

  private static String message(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = Phubctl.JSON.readTree(body);
      for (String field : new String[] {"detail", "message", "error", "title"}) {
        if (node.hasNonNull(field)) {
          return " " + node.get(field).asText();
        }
      }
    } catch (IOException notJson) {
      // fall through
    }
    return " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
  }
}

package io.provisioninghub.console.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.provisioninghub.console.ConsoleConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTTP calls to the registry and the audit log (the JDK client: it streams an export through
 * without holding it). Every failure to get an answer becomes {@link UpstreamUnavailable}.
 */
@Singleton
public class Upstream {

  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json;

  public Upstream(ConsoleConfig config, ObjectMapper json) {
    this.timeout = config.upstreamTimeout();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.json = json;
  }

  /** An answer read whole: its status and body. */
  public record Reply(int status, byte[] body) {}

  /** A request to {@code base} + {@code path} with this bearer token. */
  public HttpRequest.Builder request(URI base, String path, String bearer) {
    String root = base.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(URI.create(root + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + bearer)
        .header("Accept", "application/json");
  }

  /** Sends and reads the whole answer. */
  public Reply send(String service, HttpRequest request) {
    HttpResponse<byte[]> response =
        exchange(service, request, HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(response.statusCode(), response.body());
  }

  /** Sends and hands over the body as a stream once the status is known. */
  public HttpResponse<InputStream> stream(String service, HttpRequest request) {
    return exchange(service, request, HttpResponse.BodyHandlers.ofInputStream());
  }

  private <T> HttpResponse<T> exchange(
      String service, HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (HttpTimeoutException e) {
      throw new UpstreamUnavailable(service, "no answer within " + timeout, e);
    } catch (IOException e) {
      throw new UpstreamUnavailable(
          service, "unreachable (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpstreamUnavailable(service, "interrupted", e);
    }
  }

  /** A JSON request body. */
  public HttpRequest.BodyPublisher body(Object value) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  /** The answer's body as {@code type}; an unreadable body is the upstream's failure. */
  public <T> T read(String service, Reply reply, Class<T> type) {
    try {
      return json.readValue(reply.body(), type);
    } catch (IOException e) {
      throw new UpstreamUnavailable(
          service, "answered " + reply.status() + " with a body it cannot read", e);
    }
  }

  /** The answer's body as a tree, or null if it is not JSON. */
  public JsonNode tree(Reply reply) {
    try {
      return reply.body().length == 0 ? null : json.readTree(reply.body());
    } catch (IOException e) {
      return null;
    }
  }

  /** One path segment, percent-encoded. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query string ({@code ?a=b&c=d}) of the non-null values, or "" if there is none. */
  public static String query(Map<String, String> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "");
    query.setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            query.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return query.toString();
  }
}

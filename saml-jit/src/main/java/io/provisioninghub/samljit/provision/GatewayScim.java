package io.provisioninghub.samljit.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.samljit.SamlJitConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The gateway's SCIM API over HTTP, as one tenant, with this service's token (source {@code
 * saml-jit}). A sign-in is interactive: no retries, a bounded wait; the user signs in again.
 */
@ApplicationScoped
public class GatewayScim {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEDIA = "application/scim+json";

  /** The gateway could not be used for this sign-in (down, refused our token, 5xx). */
  public static class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }
  }

  /**
   * The gateway does not serve this tenant now (403: the operator suspended it): the sign-in is
   * refused for the tenant, not for an outage, and nothing is written.
   */
  public static class TenantRefused extends RuntimeException {
    public TenantRefused(String message) {
      super(message);
    }
  }

  /** An answer: its status and body (an empty object when there was none). */
  public record Reply(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpClient http;
  private final ServiceTokens tokens;
  private final String base;
  private final Duration timeout;

  @Inject
  public GatewayScim(ServiceTokens tokens, SamlJitConfig config) {
    this.tokens = tokens;
    this.timeout = config.scim().requestTimeout();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String url = config.scim().baseUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The first resource whose attribute equals the value ({@code Users} or {@code Groups}). */
  public Optional<JsonNode> findBy(String tenantId, String kind, String attribute, String value) {
    String filter = attribute + " eq \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    Reply reply =
        send(
            tenantId,
            request(kind + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)).GET());
    if (reply.status() != 200) {
      throw new Unavailable("the gateway answered " + reply.status() + " to a lookup");
    }
    JsonNode first = reply.body().path("Resources").path(0);
    return first.hasNonNull("id") ? Optional.of(first) : Optional.empty();
  }

  public Reply get(String tenantId, String kind, String id) {
    return send(tenantId, request(kind + "/" + id).GET());
  }

  public Reply create(String tenantId, String kind, ObjectNode resource) {
    return send(tenantId, request(kind).POST(body(resource)));
  }

  public Reply patch(String tenantId, String kind, String id, ObjectNode patchOp) {
    return send(tenantId, request(kind + "/" + id).method("PATCH", body(patchOp)));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + "/" + path))
        .timeout(timeout)
        .header("Accept", MEDIA)
        .header("Content-Type", MEDIA);
  }

  private Reply send(String tenantId, HttpRequest.Builder request) {
    request.header("Authorization", "Bearer " + tokens.forTenant(tenantId));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Unavailable("the gateway could not be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    }
    JsonNode body;
    try {
      String text = response.body();
      body = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    int status = response.statusCode();
    if (status == 403) {
      // Our service token is good (a bad one is 401); the tenant itself is refused.
      throw new TenantRefused(body.path("detail").asText("the gateway refused this tenant (403)"));
    }
    if (status == 401 || status == 429 || status >= 500) {
      throw new Unavailable("the gateway answered " + status);
    }
    return new Reply(status, body);
  }

  private static HttpRequest.BodyPublisher body(JsonNode json) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

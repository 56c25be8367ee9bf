package io.provisioninghub.graphsync.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.graphsync.GraphSyncConfig;
import io.provisioninghub.graphsync.RetryingHttp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The gateway's SCIM API over HTTP, with this service's token for the tenant. The gateway's own 429
 * (the tenant's rate limit) and 503 are waited out like Graph's ({@link RetryingHttp}).
 */
@ApplicationScoped
public class GatewayScim implements ScimTarget {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MEDIA = "application/scim+json";

  private final RetryingHttp http;
  private final ServiceTokens tokens;
  private final String base;

  @Inject
  public GatewayScim(RetryingHttp http, ServiceTokens tokens, GraphSyncConfig config) {
    this.http = http;
    this.tokens = tokens;
    String url = config.scim().baseUrl().toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public Optional<String> findByExternalId(String tenantId, Kind kind, String externalId) {
    String filter =
        "externalId eq \"" + externalId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    Reply reply =
        send(
            tenantId,
            request(
                    kind.path
                        + "?attributes=id&filter="
                        + URLEncoder.encode(filter, StandardCharsets.UTF_8))
                .GET());
    if (reply.status() != 200) {
      throw new RetryingHttp.Unavailable(
          "the gateway answered " + reply.status() + " to a lookup by externalId");
    }
    JsonNode first = reply.body().path("Resources").path(0);
    return first.hasNonNull("id") ? Optional.of(first.get("id").asText()) : Optional.empty();
  }

  @Override
  public void requireServing(String tenantId) {
    // Authenticated as the tenant, like every write: 403 while it is suspended (send throws).
    Reply reply = send(tenantId, request("ServiceProviderConfig").GET());
    if (reply.status() != 200) {
      throw new RetryingHttp.Unavailable(
          "the gateway answered " + reply.status() + " to ServiceProviderConfig");
    }
  }

  @Override
  public Reply create(String tenantId, Kind kind, ObjectNode resource) {
    return send(tenantId, request(kind.path).POST(body(resource)));
  }

  @Override
  public Reply replace(String tenantId, Kind kind, String id, ObjectNode resource) {
    return send(tenantId, request(kind.path + "/" + id).PUT(body(resource)));
  }

  @Override
  public Reply patch(String tenantId, Kind kind, String id, ObjectNode patchOp) {
    return send(tenantId, request(kind.path + "/" + id).method("PATCH", body(patchOp)));
  }

  @Override
  public Reply delete(String tenantId, Kind kind, String id) {
    return send(tenantId, request(kind.path + "/" + id).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + "/" + path))
        .header("Accept", MEDIA)
        .header("Content-Type", MEDIA);
  }

  private Reply send(String tenantId, HttpRequest.Builder request) {
    request.header("Authorization", "Bearer " + tokens.forTenant(tenantId));
    HttpResponse<String> response = http.send(request, "scim");
    JsonNode body;
    try {
      String text = response.body();
      body = text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      body = JSON.createObjectNode();
    }
    int status = response.statusCode();
    if (status == 401 || status == 403 || status >= 500) {
      // Not about one object: the tenant is unknown or suspended, or the gateway cannot serve.
      throw new RetryingHttp.Unavailable(
          "the gateway answered " + status + " " + body.path("detail").asText(""));
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

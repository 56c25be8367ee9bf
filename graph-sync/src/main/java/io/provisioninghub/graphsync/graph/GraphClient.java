package io.provisioninghub.graphsync.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Microsoft Graph for one app registration: client-credentials tokens from Entra (cached until a
 * minute before they expire) and delta queries over users or groups, following
 * {@code @odata.nextLink} page by page to the {@code @odata.deltaLink}. An expired delta or skip
 * token (410 Gone, or an error code {@code syncStateNotFound}/{@code resyncRequired}) surfaces as
 * {@link ResyncRequired}; throttling is {@link RetryingHttp}'s.
 */
@ApplicationScoped
public class GraphClient {

  /** The properties of a user the sync maps to SCIM. */
  public static final String USER_SELECT =
      "id,userPrincipalName,displayName,givenName,surname,mail,accountEnabled,jobTitle,department";

  public static final String GROUP_SELECT = "id,displayName,description,members";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENTRA_TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}");

  private final RetryingHttp http;
  private final URI authority;
  private final String graph;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  @Inject
  public GraphClient(RetryingHttp http, GraphSyncConfig config) {
    this(http, config.authorityUrl(), config.graphUrl());
  }

  public GraphClient(RetryingHttp http, URI authority, URI graph) {
    this.http = http;
    this.authority = authority;
    String base = graph.toString();
    this.graph = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /**
   * The app registration a round reads with: a client secret, or a certificate (then {@code
   * clientSecret} is null). Neither is ever logged nor returned.
   */
  public record Credentials(
      String entraTenantId, String clientId, String clientSecret, ClientCertificate certificate) {

    public Credentials(String entraTenantId, String clientId, String clientSecret) {
      this(entraTenantId, clientId, clientSecret, null);
    }

    @Override
    public String toString() {
      return "Credentials[" + entraTenantId + ", " + clientId + "]";
    }
  }

  /** Graph no longer knows the delta or skip token: start again with a full round. */
  public static class ResyncRequired extends RuntimeException {
    public ResyncRequired(String message) {
      super(message);
    }
  }

  /** Entra or Graph refused, for a reason a retry does not fix (wrong secret, no permission). */
  public static class GraphRefused extends RuntimeException {
    public GraphRefused(String message) {
      super(message);
    }
  }

  /** Receives each page's objects in order. */
  @FunctionalInterface
  public interface PageHandler {
    void page(List<JsonNode> objects);
  }

  /**
   * Runs one delta round: from {@code deltaLink}, or from the start when it is null, through every
   * page; hands each page to {@code handler} and answers the new delta link.
   */
  public String delta(
      Credentials credentials, String resource, String deltaLink, PageHandler handler) {
    String next =
        deltaLink != null
            ? deltaLink
            : graph
                + "/"
                + resource
                + "/delta?$select="
                + (resource.equals("users") ? USER_SELECT : GROUP_SELECT);
    while (true) {
      JsonNode page = get(credentials, next);
      List<JsonNode> objects = new ArrayList<>();
      page.path("value").forEach(objects::add);
      handler.page(objects);
      if (page.hasNonNull("@odata.nextLink")) {
        next = ours(page.get("@odata.nextLink").asText());
      } else if (page.hasNonNull("@odata.deltaLink")) {
        return ours(page.get("@odata.deltaLink").asText());
      } else {
        throw new GraphRefused("a delta page without nextLink or deltaLink");
      }
    }
  }

  private JsonNode get(Credentials credentials, String url) {
    for (int attempt = 0; ; attempt++) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + token(credentials))
                  .header("Accept", "application/json")
                  .GET(),
              "graph");
      int status = response.statusCode();
      if (status == 200) {
        return read(response.body());
      }
      String code = read(response.body()).path("error").path("code").asText("");
      if (status == 410 || code.equals("syncStateNotFound") || code.equals("resyncRequired")) {
        throw new ResyncRequired("Graph answered " + status + " " + code);
      }
      if (status == 401 && attempt == 0) {
        // The cached token may have been revoked or expired early: one fresh try.
        tokens.remove(key(credentials));
        continue;
      }
      throw new GraphRefused("Graph answered " + status + (code.isEmpty() ? "" : " " + code));
    }
  }

  /** A cached access token, or a new one from Entra's token endpoint. */
  String token(Credentials credentials) {
    String key = key(credentials);
    Token cached = tokens.get(key);
    if (cached != null && Instant.now().isBefore(cached.renewAt())) {
      return cached.value();
    }
    if (!ENTRA_TENANT.matcher(credentials.entraTenantId()).matches()) {
      throw new GraphRefused("not an Entra tenant id or domain");
    }
    URI tokenUrl = authority.resolve("/" + credentials.entraTenantId() + "/oauth2/v2.0/token");
    String proof =
        credentials.certificate() == null
            ? "&client_secret=" + enc(credentials.clientSecret())
            : "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion="
                + enc(
                    credentials
                        .certificate()
                        .assertion(credentials.clientId(), tokenUrl.toString()));
    String form =
        "grant_type=client_credentials&client_id="
            + enc(credentials.clientId())
            + proof
            + "&scope="
            + enc("https://graph.microsoft.com/.default");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(tokenUrl)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)),
            "entra");
    JsonNode body = read(response.body());
    if (response.statusCode() != 200 || !body.hasNonNull("access_token")) {
      // Entra's error code only (e.g. invalid_client); its description may echo request details.
      throw new GraphRefused(
          "Entra refused the app registration's credentials: "
              + response.statusCode()
              + " "
              + body.path("error").asText(""));
    }
    long lifetime = body.path("expires_in").asLong(300);
    Token token =
        new Token(
            body.get("access_token").asText(),
            Instant.now().plusSeconds(Math.max(0, lifetime - 60)));
    tokens.put(key, token);
    return token.value();
  }

  /** Links from Graph are followed only to Graph, so a token never leaves for another host. */
  private String ours(String link) {
    if (!link.startsWith(graph + "/")) {
      throw new GraphRefused("Graph sent a link to another location");
    }
    return link;
  }

  private static String key(Credentials c) {
    if (c.certificate() != null) {
      return c.entraTenantId() + "|" + c.clientId() + "|x5t:" + c.certificate().thumbprint();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(c.clientSecret().getBytes(StandardCharsets.UTF_8));
      return c.entraTenantId() + "|" + c.clientId() + "|" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private record Token(String value, Instant renewAt) {}
}

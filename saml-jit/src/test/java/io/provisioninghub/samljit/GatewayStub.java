package io.provisioninghub.samljit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays the gateway's SCIM API in saml-jit's tests (as graph-sync's tests play it in memory): a
 * local HTTP receiver that keeps users and groups per tenant (the tenant taken from the service
 * token's {@code tenant} claim), applies the PATCH operations saml-jit sends, and records every
 * request with its token's claims. The real gateway accepting source {@code saml-jit} is tested in
 * scim-gateway's SourceTokensTest.
 */
final class GatewayStub implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILTER = Pattern.compile("(\\w+) eq \"(.*)\"");
  private static final Pattern TYPED = Pattern.compile("(\\w+)\\[type eq \"(\\w+)\"\\]\\.value");

  /** One request seen: method, path, the token's claims and the body. */
  record Seen(String method, String path, JsonNode claims, JsonNode body) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();

  /** tenant → "Users"/"Groups" → id → resource. */
  final Map<String, Map<String, Map<String, ObjectNode>>> data = new ConcurrentHashMap<>();

  private final HttpServer server;

  GatewayStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/scim/v2/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/scim/v2";
  }

  Map<String, ObjectNode> of(String tenant, String kind) {
    return data.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
  }

  /** Adds a resource as if the tenant's SCIM client had created it; answers its id. */
  String seed(String tenant, String kind, String json) {
    try {
      ObjectNode r = (ObjectNode) JSON.readTree(json);
      String id = UUID.randomUUID().toString();
      r.put("id", id);
      of(tenant, kind).put(id, r);
      return id;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Seen> writes(String tenant) {
    return seen.stream()
        .filter(s -> !s.method().equals("GET"))
        .filter(s -> tenant.equals(s.claims().path("tenant").asText()))
        .toList();
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        reply(ex, 401, JSON.createObjectNode().put("detail", "no token"));
        return;
      }
      String[] jwt = auth.substring(7).split("\\.");
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
      String tenant = claims.path("tenant").asText();
      byte[] bytes = ex.getRequestBody().readAllBytes();
      JsonNode body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
      String path = ex.getRequestURI().getPath().substring("/scim/v2/".length());
      seen.add(new Seen(ex.getRequestMethod(), path, claims, body));
      String[] parts = path.split("/");
      Map<String, ObjectNode> store = of(tenant, parts[0]);
      switch (ex.getRequestMethod()) {
        case "GET" -> {
          if (parts.length == 2) {
            ObjectNode r = store.get(parts[1]);
            reply(ex, r == null ? 404 : 200, r == null ? JSON.createObjectNode() : r);
            return;
          }
          String query =
              URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
          Matcher m = FILTER.matcher(query.substring("filter=".length()));
          m.matches();
          ObjectNode list = JSON.createObjectNode();
          ArrayNode resources = list.putArray("Resources");
          store.values().stream()
              .filter(r -> r.path(m.group(1)).asText().equalsIgnoreCase(m.group(2)))
              .forEach(resources::add);
          list.put("totalResults", resources.size());
          reply(ex, 200, list);
        }
        case "POST" -> {
          String userName = body.path("userName").asText();
          if (userName.startsWith("refuse-")) {
            reply(
                ex,
                400,
                JSON.createObjectNode()
                    .put("scimType", "invalidValue")
                    .put("detail", "bad userName " + userName));
            return;
          }
          if (userName.startsWith("suspended-")) {
            reply(
                ex,
                403,
                JSON.createObjectNode()
                    .put("status", "403")
                    .put("detail", "this tenant is suspended; contact the provider"));
            return;
          }
          if (userName.startsWith("down-")) {
            reply(ex, 503, JSON.createObjectNode().put("detail", "no outcome in time"));
            return;
          }
          if (store.values().stream()
              .anyMatch(r -> r.path("userName").asText().equalsIgnoreCase(userName))) {
            reply(ex, 409, JSON.createObjectNode().put("scimType", "uniqueness"));
            return;
          }
          ObjectNode r = ((ObjectNode) body).deepCopy();
          r.put("id", UUID.randomUUID().toString());
          store.put(r.get("id").asText(), r);
          reply(ex, 201, r);
        }
        case "PATCH" -> {
          ObjectNode r = store.get(parts[1]);
          if (r == null) {
            reply(ex, 404, JSON.createObjectNode());
            return;
          }
          for (JsonNode op : body.path("Operations")) {
            apply(r, op);
          }
          reply(ex, 200, r);
        }
        default -> reply(ex, 405, JSON.createObjectNode());
      }
    }
  }

  private static void apply(ObjectNode r, JsonNode op) {
    String path = op.get("path").asText();
    JsonNode value = op.get("value");
    Matcher typed = TYPED.matcher(path);
    if (path.equals("members")) {
      ArrayNode members = r.has("members") ? (ArrayNode) r.get("members") : r.putArray("members");
      value.forEach(members::add);
    } else if (typed.matches()) {
      ArrayNode list =
          r.has(typed.group(1)) ? (ArrayNode) r.get(typed.group(1)) : r.putArray(typed.group(1));
      for (JsonNode e : list) {
        if (typed.group(2).equals(e.path("type").asText())) {
          ((ObjectNode) e).set("value", value);
          return;
        }
      }
      list.addObject().put("type", typed.group(2)).set("value", value);
    } else if (path.contains(".")) {
      String[] p = path.split("\\.", 2);
      ObjectNode parent = r.has(p[0]) ? (ObjectNode) r.get(p[0]) : r.putObject(p[0]);
      parent.set(p[1], value);
    } else {
      r.set(path, value);
    }
  }

  private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/scim+json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

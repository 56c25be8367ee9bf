package io.provisioninghub.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A small OpenID Connect provider for the local stack and the console's tests ONLY: the
 * authorization code flow with a login page where anyone types a user name and roles (preset to
 * {@value #DEFAULT_ROLE}), ID tokens signed RS256 with a key made at start, discovery, a key set
 * and an end-session endpoint. It checks no password: never run it where others can reach it. It
 * listens on 127.0.0.1 and redirects only to loopback addresses.
 *
 * <p>Usage from a shell: {@code LocalOidc <port> <state-file> <client-id> <client-secret-file>}
 * serves until stopped and writes {@code OIDC_ISSUER=<url>} to the state file once it listens.
 */
public final class LocalOidc implements AutoCloseable {

  /** The role an operator of the console needs; the login page presets it. */
  public static final String DEFAULT_ROLE = "provisioning-admin";

  /** The claim that carries the roles (Entra ID's app roles claim has the same name). */
  public static final String ROLES_CLAIM = "roles";

  private static final String KEY_ID = "local-oidc-1";
  private static final Duration CODE_TTL = Duration.ofMinutes(2);
  private static final Duration TOKEN_TTL = Duration.ofHours(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Grant(
      String clientId,
      String redirectUri,
      String nonce,
      String user,
      List<String> roles,
      String codeChallenge,
      Instant expires) {}

  private final HttpServer server;
  private final KeyPair keys;
  private final String clientId;
  private final String clientSecret;
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();

  private LocalOidc(HttpServer server, KeyPair keys, String clientId, String clientSecret) {
    this.server = server;
    this.keys = keys;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
  }

  /** Starts on 127.0.0.1 at {@code port} (0: a free one) for one client. */
  public static LocalOidc start(int port, String clientId, String clientSecret) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      LocalOidc oidc = new LocalOidc(server, generator.generateKeyPair(), clientId, clientSecret);
      server.createContext("/oidc/", oidc::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return oidc;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot start the local OIDC provider on port " + port, e);
    }
  }

  /** The issuer ({@code quarkus.oidc.auth-server-url}). */
  public String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/oidc";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** An ID token as the token endpoint would issue it (for tests that skip the login page). */
  public String idToken(String user, List<String> roles, String nonce) {
    return sign(claims(user, roles, nonce, clientId));
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring("/oidc".length());
      String method = exchange.getRequestMethod();
      switch (method + " " + path) {
        case "GET /.well-known/openid-configuration" -> json(exchange, 200, discovery());
        case "GET /jwks" -> json(exchange, 200, jwks());
        case "GET /authorize" -> loginPage(exchange, query(exchange));
        case "POST /authorize" -> login(exchange, form(exchange));
        case "POST /token" -> token(exchange, form(exchange));
        case "GET /logout" -> logout(exchange, query(exchange));
        default -> text(exchange, 404, "not found");
      }
    } catch (RuntimeException e) {
      text(exchange, 500, "local OIDC provider failed: " + e.getClass().getSimpleName());
    }
  }

  private Map<String, Object> discovery() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", issuer());
    d.put("authorization_endpoint", issuer() + "/authorize");
    d.put("token_endpoint", issuer() + "/token");
    d.put("jwks_uri", issuer() + "/jwks");
    d.put("end_session_endpoint", issuer() + "/logout");
    d.put("response_types_supported", List.of("code"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    d.put("scopes_supported", List.of("openid", "profile"));
    d.put(
        "token_endpoint_auth_methods_supported",
        List.of("client_secret_basic", "client_secret_post"));
    d.put("code_challenge_methods_supported", List.of("S256"));
    d.put("claims_supported", List.of("sub", "name", "preferred_username", ROLES_CLAIM));
    return d;
  }

  private Map<String, Object> jwks() {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    Map<String, Object> jwk = new LinkedHashMap<>();
    jwk.put("kty", "RSA");
    jwk.put("kid", KEY_ID);
    jwk.put("use", "sig");
    jwk.put("alg", "RS256");
    jwk.put("n", unsigned(key.getModulus()));
    jwk.put("e", unsigned(key.getPublicExponent()));
    return Map.of("keys", List.of(jwk));
  }

  private void loginPage(HttpExchange exchange, Map<String, String> q) throws IOException {
    String problem = checkAuthorizeRequest(q);
    if (problem != null) {
      text(exchange, 400, problem);
      return;
    }
    StringBuilder hidden = new StringBuilder();
    for (String name :
        List.of(
            "client_id",
            "redirect_uri",
            "state",
            "nonce",
            "scope",
            "code_challenge",
            "code_challenge_method")) {
      if (q.get(name) != null) {
        hidden
            .append("<input type=\"hidden\" name=\"")
            .append(name)
            .append("\" value=\"")
            .append(html(q.get(name)))
            .append("\">\n");
      }
    }
    String page =
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · local OIDC provider</title></head>
        <body>
        <main>
        <h1>Sign in to the local OIDC provider</h1>
        <p>For the local stack and tests only: any user name is accepted, no password is asked.</p>
        <form method="post" action="/oidc/authorize">
        %s<p><label for="username">User name</label><br>
        <input id="username" name="username" required autocomplete="username"></p>
        <p><label for="roles">Roles (comma-separated)</label><br>
        <input id="roles" name="roles" value="%s"></p>
        <p><button type="submit">Sign in</button></p>
        </form>
        </main>
        </body>
        </html>
        """
            .formatted(hidden, DEFAULT_ROLE);
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; form-action 'self' http://127.0.0.1:* http://localhost:*;"
                + " frame-ancestors 'none'");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
  }

  private void login(HttpExchange exchange, Map<String, String> f) throws IOException {
    String problem = checkAuthorizeRequest(f);
    String user = f.getOrDefault("username", "").trim();
    if (problem == null && (user.isEmpty() || user.length() > 128)) {
      problem = "a user name (at most 128 characters) is required";
    }
    if (problem != null) {
      text(exchange, 400, problem);
      return;
    }
    List<String> roles =
        Arrays.stream(f.getOrDefault("roles", "").split(","))
            .map(String::trim)
            .filter(r -> !r.isEmpty())
            .toList();
    String code = random();
    codes.put(
        code,
        new Grant(
            f.get("client_id"),
            f.get("redirect_uri"),
            f.get("nonce"),
            user,
            roles,
            f.get("code_challenge"),
            Instant.now().plus(CODE_TTL)));
    String redirect = f.get("redirect_uri");
    String location =
        redirect
            + (redirect.contains("?") ? "&" : "?")
            + "code="
            + encode(code)
            + (f.get("state") == null ? "" : "&state=" + encode(f.get("state")));
    redirect(exchange, location);
  }

  private String checkAuthorizeRequest(Map<String, String> q) {
    if (!clientId.equals(q.get("client_id"))) {
      return "unknown client_id";
    }
    if (!"code".equals(q.getOrDefault("response_type", "code"))) {
      return "only response_type=code is supported";
    }
    if (!loopback(q.get("redirect_uri"))) {
      return "redirect_uri must be an http(s) address on 127.0.0.1 or localhost";
    }
    return null;
  }

  private void token(HttpExchange exchange, Map<String, String> f) throws IOException {
    String[] client = clientCredentials(exchange, f);
    if (client == null
        || !clientId.equals(client[0])
        || !MessageDigest.isEqual(
            clientSecret.getBytes(StandardCharsets.UTF_8),
            client[1].getBytes(StandardCharsets.UTF_8))) {
      json(exchange, 401, Map.of("error", "invalid_client"));
      return;
    }
    if (!"authorization_code".equals(f.get("grant_type"))) {
      json(exchange, 400, Map.of("error", "unsupported_grant_type"));
      return;
    }
    Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
    if (grant == null
        || grant.expires().isBefore(Instant.now())
        || !grant.clientId().equals(client[0])
        || !grant.redirectUri().equals(f.get("redirect_uri"))
        || !pkceMatches(grant.codeChallenge(), f.get("code_verifier"))) {
      json(exchange, 400, Map.of("error", "invalid_grant"));
      return;
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", sign(claims(grant.user(), grant.roles(), null, clientId)));
    answer.put("id_token", sign(claims(grant.user(), grant.roles(), grant.nonce(), clientId)));
    answer.put("token_type", "Bearer");
    answer.put("expires_in", TOKEN_TTL.toSeconds());
    answer.put("scope", "openid profile");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    json(exchange, 200, answer);
  }

  private void logout(HttpExchange exchange, Map<String, String> q) throws IOException {
    String back = q.get("post_logout_redirect_uri");
    if (back == null) {
      text(exchange, 200, "signed out of the local OIDC provider");
      return;
    }
    if (!loopback(back)) {
      text(exchange, 400, "post_logout_redirect_uri must be on 127.0.0.1 or localhost");
      return;
    }
    redirect(
        exchange,
        back
            + (q.get("state") == null
                ? ""
                : (back.contains("?") ? "&" : "?") + "state=" + encode(q.get("state"))));
  }

  private Map<String, Object> claims(
      String user, List<String> roles, String nonce, String audience) {
    Instant now = Instant.now();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", issuer());
    c.put("sub", user);
    c.put("aud", audience);
    c.put("iat", now.getEpochSecond());
    c.put("auth_time", now.getEpochSecond());
    c.put("exp", now.plus(TOKEN_TTL).getEpochSecond());
    c.put("jti", random());
    c.put("preferred_username", user);
    c.put("name", user);
    c.put(ROLES_CLAIM, roles);
    if (nonce != null) {
      c.put("nonce", nonce);
    }
    return c;
  }

  private String sign(Map<String, Object> claims) {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String header =
          b64.encodeToString(
              JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID)));
      String payload = b64.encodeToString(JSON.writeValueAsBytes(claims));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(keys.getPrivate());
      rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
      return header + "." + payload + "." + b64.encodeToString(rsa.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  private static boolean pkceMatches(String challenge, String verifier) {
    if (challenge == null) {
      return true;
    }
    if (verifier == null) {
      return false;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(challenge);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] clientCredentials(HttpExchange exchange, Map<String, String> f) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0
          ? null
          : new String[] {
            URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
            URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
          };
    }
    if (f.get("client_id") != null && f.get("client_secret") != null) {
      return new String[] {f.get("client_id"), f.get("client_secret")};
    }
    return null;
  }

  private static boolean loopback(String uri) {
    if (uri == null) {
      return false;
    }
    try {
      URI u = URI.create(uri);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && ("127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost()))
          && u.getUserInfo() == null
          && u.getFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    return parse(exchange.getRequestURI().getRawQuery());
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(64 * 1024);
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> out = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return out;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(name, value);
    }
    return out;
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(302, -1);
  }

  private static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void text(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String html(String value) {
    return value
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: LocalOidc <port> <state-file> <client-id> <client-secret-file>");
      System.exit(2);
    }
    String secret = Files.readString(Path.of(args[3])).trim();
    LocalOidc oidc = start(Integer.parseInt(args[0]), args[2], secret);
    Runtime.getRuntime().addShutdownHook(new Thread(oidc::close, "local-oidc-stop"));
    Path state = Path.of(args[1]).toAbsolutePath();
    Path tmp = Files.createTempFile(state.getParent(), "oidc", ".env");
    Files.writeString(tmp, "OIDC_ISSUER=" + oidc.issuer() + "\n");
    Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("local OIDC provider ready: " + oidc.issuer());
    new CountDownLatch(1).await();
  }
}

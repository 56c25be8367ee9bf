package io.provisioninghub.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Microsoft Entra ID's token endpoint and Microsoft Graph's {@code /users/delta} and
 * {@code /groups/delta}, over a generated directory (deterministic for a seed), on a free loopback
 * port. What it implements of Graph's delta query: a first round returns every object, paged with
 * {@code @odata.nextLink} ({@code $skiptoken}); its last page carries an {@code @odata.deltaLink}
 * ({@code $deltatoken}) that later returns only what changed after it; removed users come as
 * {@code @removed} with reason {@code changed} (soft delete, restorable) or {@code deleted}
 * (permanent); groups carry {@code members@delta} (every member in a first round, added and removed
 * ones after). Tests change the directory, make the n-th request answer 429 with {@code
 * Retry-After}, and expire every delta and skip token (410 {@code resyncRequired}).
 *
 * <p>Not Graph: property selection ({@code $select}) and filters are ignored (every object carries
 * the properties the sync maps); tokens are opaque random strings, not JWTs.
 */
public final class GraphSimulator implements AutoCloseable {

  /** The Entra tenant id, client id and client secret the token endpoint accepts. */
  public static final String TENANT_ID = "8c6f0d2e-5a41-4b1c-9d5e-3f2a7c1b9e60";

  public static final String CLIENT_ID = "3b1e4c8a-2f6d-4e9b-8a7c-5d1f0e2b6c94";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIRST = {
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Tim",
    "Radia",
    "John",
    "Hedy",
    "Linus",
    "Sophie",
    "Niklaus"
  };
  private static final String[] LAST = {
    "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
    "Hamilton", "Berners", "Perlman", "Backus", "Lamarr", "Torvalds", "Wilson", "Wirth"
  };
  private static final String[] DEPARTMENTS = {
    "Engineering", "Sales", "Finance", "Support", "Marketing", "Legal"
  };

  private final String clientSecret;
  private final int userPageSize;
  private final int groupPageSize;
  private final HttpServer server;
  private final ExecutorService executor;

  // The directory; every change takes the next sequence number.
  private final Map<String, User> users = new TreeMap<>();
  private final Map<String, Group> groups = new TreeMap<>();
  private final List<MemberChange> memberChanges = new ArrayList<>();
  private long sequence;
  private int generation;

  /** Rounds in progress by id: the ids a round returns, fixed at its first page. */
  private final Map<String, Round> rounds = new ConcurrentHashMap<>();

  private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicLong graphRequests = new AtomicLong();
  private final AtomicInteger throttled = new AtomicInteger();
  private final Map<Long, Integer> throttleAt = new ConcurrentHashMap<>();
  private volatile Duration tokenLifetime = Duration.ofHours(1);
  private volatile X509Certificate clientCertificate;

  private GraphSimulator(
      int userCount, int groupCount, long seed, int userPageSize, int groupPageSize, int port) {
    this.userPageSize = userPageSize;
    this.groupPageSize = groupPageSize;
    Random random = new Random(seed);
    this.clientSecret = "sim-secret-" + Long.toHexString(random.nextLong());
    generate(userCount, groupCount, random);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A directory of {@code users} users and {@code groups} groups, pages of 100 and 50. */
  public static GraphSimulator start(int users, int groups, long seed) {
    return start(users, groups, seed, 100, 50);
  }

  public static GraphSimulator start(
      int users, int groups, long seed, int userPageSize, int groupPageSize) {
    return new GraphSimulator(users, groups, seed, userPageSize, groupPageSize, 0);
  }

  /**
   * On a given loopback port, for a service started beforehand with this address (the benchmark, a
   * local try of the stack); tests take a free port with the other factories.
   */
  public static GraphSimulator startOnPort(
      int users, int groups, long seed, int userPageSize, int groupPageSize, int port) {
    return new GraphSimulator(users, groups, seed, userPageSize, groupPageSize, port);
  }

  /** The authority, as {@code https://login.microsoftonline.com} is Entra's. */
  public String authorityUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Graph's versioned base, as {@code https://graph.microsoft.com/v1.0}. */
  public String graphUrl() {
    return authorityUrl() + "/v1.0";
  }

  public String clientSecret() {
    return clientSecret;
  }

  /**
   * The certificate uploaded to the app registration: from now on the token endpoint also takes a
   * client assertion signed with its key (as Entra does for certificate credentials), checked for
   * signature, {@code x5t}, audience, issuer, subject and lifetime.
   */
  public void clientCertificate(X509Certificate certificate) {
    this.clientCertificate = certificate;
  }

  /** How long issued access tokens stay valid (also what {@code expires_in} says). */
  public void tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  public int tokensIssued() {
    return tokensIssued.get();
  }

  /** Graph requests received so far (delta pages, throttled ones included). */
  public long graphRequests() {
    return graphRequests.get();
  }

  /** Requests answered 429 so far. */
  public int throttledRequests() {
    return throttled.get();
  }

  /** The {@code n}-th Graph request from now (1 = the next) is answered 429 with Retry-After. */
  public void throttle(int n, int retryAfterSeconds) {
    throttleAt.put(graphRequests.get() + n, retryAfterSeconds);
  }

  /** Every delta link and skip token issued so far is answered 410 from now on. */
  public synchronized void expireDeltaLinks() {
    generation++;
    rounds.clear();
  }

  // ---- the directory, as tests see and change it ----

  /** Ids of the users that exist (soft-deleted ones excluded), in id order. */
  public synchronized List<String> userIds() {
    return users.values().stream().filter(u -> u.removed == null).map(u -> u.id).toList();
  }

  /** Ids of the groups that exist, in id order. */
  public synchronized List<String> groupIds() {
    return groups.values().stream().filter(g -> g.removed == null).map(g -> g.id).toList();
  }

  /** A user's properties as Graph returns them. */
  public synchronized Map<String, Object> user(String id) {
    return require(id).properties();
  }

  public synchronized String groupDisplayName(String id) {
    return requireGroup(id).displayName;
  }

  /** The current members of a group (user and group ids). */
  public synchronized Set<String> members(String groupId) {
    return Set.copyOf(requireGroup(groupId).members);
  }

  /** Changes one property of a user ({@code displayName}, {@code jobTitle}, ...). */
  public synchronized void updateUser(String id, String property, Object value) {
    User user = require(id);
    switch (property) {
      case "userPrincipalName" -> user.upn = (String) value;
      case "displayName" -> user.displayName = (String) value;
      case "givenName" -> user.givenName = (String) value;
      case "surname" -> user.surname = (String) value;
      case "mail" -> user.mail = (String) value;
      case "jobTitle" -> user.jobTitle = (String) value;
      case "department" -> user.department = (String) value;
      case "accountEnabled" -> user.accountEnabled = (Boolean) value;
      default -> throw new IllegalArgumentException("no such property: " + property);
    }
    user.version = ++sequence;
  }

  public void disableUser(String id) {
    updateUser(id, "accountEnabled", false);
  }

  /** Deletes a user as Entra does first: restorable for 30 days ({@code @removed: changed}). */
  public synchronized void softDeleteUser(String id) {
    User user = require(id);
    user.removed = "changed";
    user.version = ++sequence;
    for (Group group : groups.values()) {
      if (group.members.remove(id)) {
        memberChanges.add(new MemberChange(++sequence, group.id, id, false));
      }
    }
  }

  /** Deletes a user for good ({@code @removed: deleted}). */
  public synchronized void hardDeleteUser(String id) {
    softDeleteUser(id);
    User user = users.get(id);
    user.removed = "deleted";
    user.version = ++sequence;
  }

  /** Restores a soft-deleted user (it comes back as an ordinary object). */
  public synchronized void restoreUser(String id) {
    User user = users.get(id);
    if (user == null || !"changed".equals(user.removed)) {
      throw new IllegalArgumentException("not a soft-deleted user: " + id);
    }
    user.removed = null;
    user.version = ++sequence;
  }

  /** A new user; returns its id. */
  public synchronized String addUser(String userPrincipalName, String displayName) {
    User user = new User();
    user.id = UUID.randomUUID().toString();
    user.upn = userPrincipalName;
    user.displayName = displayName;
    user.accountEnabled = true;
    user.created = user.version = ++sequence;
    users.put(user.id, user);
    return user.id;
  }

  public synchronized void renameGroup(String id, String displayName) {
    Group group = requireGroup(id);
    group.displayName = displayName;
    group.version = ++sequence;
  }

  public synchronized void addMember(String groupId, String memberId) {
    if (requireGroup(groupId).members.add(memberId)) {
      memberChanges.add(new MemberChange(++sequence, groupId, memberId, true));
    }
  }

  public synchronized void removeMember(String groupId, String memberId) {
    if (requireGroup(groupId).members.remove(memberId)) {
      memberChanges.add(new MemberChange(++sequence, groupId, memberId, false));
    }
  }

  public synchronized void deleteGroup(String id) {
    Group group = requireGroup(id);
    group.removed = "deleted";
    group.version = ++sequence;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * Serves a generated directory until stopped, for the local stack's graph-sync: {@code
   * GraphSimulator <port> <state-file> <users> <groups>}. Once it listens it writes the addresses
   * and the app registration graph-sync is given ({@code GRAPH_SIMULATOR_URL}, {@code
   * GRAPH_SIMULATOR_TENANT_ID}, {@code GRAPH_SIMULATOR_CLIENT_ID}, {@code
   * GRAPH_SIMULATOR_CLIENT_SECRET}) to the state file, readable by its owner only.
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: GraphSimulator <port> <state-file> <users> <groups>");
      System.exit(2);
    }
    GraphSimulator graph =
        startOnPort(
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            new SecureRandom().nextLong(),
            100,
            50,
            Integer.parseInt(args[0]));
    Runtime.getRuntime().addShutdownHook(new Thread(graph::close, "graph-simulator-stop"));
    Path state = Path.of(args[1]).toAbsolutePath();
    Path tmp =
        Files.createTempFile(
            state.getParent(),
            "graph",
            ".env",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        tmp,
        "GRAPH_SIMULATOR_URL="
            + graph.authorityUrl()
            + "\nGRAPH_SIMULATOR_TENANT_ID="
            + TENANT_ID
            + "\nGRAPH_SIMULATOR_CLIENT_ID="
            + CLIENT_ID
            + "\nGRAPH_SIMULATOR_CLIENT_SECRET="
            + graph.clientSecret()
            + "\n");
    Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "Graph simulator ready: "
            + graph.authorityUrl()
            + " ("
            + args[2]
            + " users, "
            + args[3]
            + " groups)");
    new CountDownLatch(1).await();
  }

  // ---- HTTP ----

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/oauth2/v2.0/token")) {
        token(exchange, path);
      } else if (path.equals("/v1.0/users/delta") || path.equals("/v1.0/groups/delta")) {
        delta(exchange, path.startsWith("/v1.0/users") ? Kind.USERS : Kind.GROUPS);
      } else {
        send(exchange, 404, error("Request_ResourceNotFound", "no such resource: " + path));
      }
    } catch (RuntimeException e) {
      send(exchange, 500, error("InternalServerError", String.valueOf(e.getMessage())));
    }
  }

  /**
   * Why a client assertion is refused (null when it is good): a JWT signed RS256 with the uploaded
   * certificate's key, {@code x5t} its SHA-1 thumbprint, {@code aud} this token endpoint, {@code
   * iss} and {@code sub} the client id, valid now (five minutes of skew) for at most ten minutes.
   */
  private String assertionRefusal(Map<String, String> form, String tokenUrl) {
    X509Certificate certificate = clientCertificate;
    if (certificate == null) {
      return "AADSTS700027: no certificate is registered for the application";
    }
    if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        .equals(form.get("client_assertion_type"))) {
      return "AADSTS700024: client_assertion_type is not jwt-bearer";
    }
    String[] parts = form.get("client_assertion").split("\\.", -1);
    if (parts.length != 3) {
      return "AADSTS50027: the client assertion is not a JWT";
    }
    try {
      Base64.Decoder b64 = Base64.getUrlDecoder();
      var header = JSON.readTree(b64.decode(parts[0]));
      var claims = JSON.readTree(b64.decode(parts[1]));
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(certificate.getPublicKey());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!"RS256".equals(header.path("alg").asText()) || !rsa.verify(b64.decode(parts[2]))) {
        return "AADSTS700027: the client assertion's signature does not verify";
      }
      String thumbprint =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
      if (!thumbprint.equals(header.path("x5t").asText())) {
        return "AADSTS700027: x5t names another certificate";
      }
      long now = Instant.now().getEpochSecond();
      long exp = claims.path("exp").asLong(0);
      long nbf = claims.path("nbf").asLong(claims.path("iat").asLong(0));
      if (!tokenUrl.equals(claims.path("aud").asText())) {
        return "AADSTS700016: the audience is not this token endpoint";
      } else if (!CLIENT_ID.equals(claims.path("iss").asText())
          || !CLIENT_ID.equals(claims.path("sub").asText())
          || (form.containsKey("client_id") && !CLIENT_ID.equals(form.get("client_id")))) {
        return "AADSTS700016: the issuer or subject is not the application";
      } else if (exp <= now - 300 || nbf > now + 300 || exp - nbf > 600) {
        return "AADSTS700024: the client assertion is not valid now";
      } else if (claims.path("jti").asText().isEmpty()) {
        return "AADSTS700024: the client assertion has no jti";
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return "AADSTS50027: the client assertion is not a JWT";
    } catch (GeneralSecurityException e) {
      return "AADSTS700027: the client assertion's signature does not verify";
    }
  }

  private void token(HttpExchange exchange, String path) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, error("invalid_request", "POST only"));
      return;
    }
    Map<String, String> form =
        parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String tenant = path.substring(1, path.indexOf('/', 1));
    if (!TENANT_ID.equals(tenant)) {
      send(exchange, 400, oauthError("invalid_tenant", "AADSTS90002: tenant not found"));
    } else if (!"client_credentials".equals(form.get("grant_type"))) {
      send(exchange, 400, oauthError("unsupported_grant_type", "client_credentials only"));
    } else if (form.containsKey("client_assertion")) {
      String refusal = assertionRefusal(form, authorityUrl() + path);
      if (refusal != null) {
        send(exchange, 401, oauthError("invalid_client", refusal));
      } else {
        issueToken(exchange, form);
      }
    } else if (!CLIENT_ID.equals(form.get("client_id"))
        || !clientSecret.equals(form.get("client_secret"))) {
      send(exchange, 401, oauthError("invalid_client", "AADSTS7000215: invalid client secret"));
    } else {
      issueToken(exchange, form);
    }
  }

  private void issueToken(HttpExchange exchange, Map<String, String> form) throws IOException {
    if (!"https://graph.microsoft.com/.default".equals(form.get("scope"))) {
      send(exchange, 400, oauthError("invalid_scope", "AADSTS70011: invalid scope"));
    } else {
      String token = "sim-" + UUID.randomUUID();
      accessTokens.add(token);
      tokensIssued.incrementAndGet();
      long lifetime = tokenLifetime.toSeconds();
      ObjectNode body = JSON.createObjectNode();
      body.put("token_type", "Bearer");
      body.put("expires_in", lifetime);
      body.put("access_token", token);
      send(exchange, 200, body);
    }
  }

  private void delta(HttpExchange exchange, Kind kind) throws IOException {
    long n = graphRequests.incrementAndGet();
    Integer retryAfter = throttleAt.remove(n);
    if (retryAfter != null) {
      throttled.incrementAndGet();
      exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfter));
      send(exchange, 429, error("TooManyRequests", "throttled; retry after " + retryAfter + " s"));
      return;
    }
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
      send(exchange, 401, error("InvalidAuthenticationToken", "access token missing or invalid"));
      return;
    }
    Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
    ObjectNode page;
    synchronized (this) {
      Round round;
      int offset;
      if (query.containsKey("$skiptoken")) {
        String[] token = query.get("$skiptoken").split("\\.");
        round = rounds.get(token[0]);
        if (round == null || round.kind != kind) {
          send(exchange, 410, error("resyncRequired", "the skip token has expired"));
          return;
        }
        offset = Integer.parseInt(token[1]);
      } else if (query.containsKey("$deltatoken")) {
        String[] token = query.get("$deltatoken").split("\\.");
        if (token.length != 2 || Integer.parseInt(token[0]) != generation) {
          send(exchange, 410, error("resyncRequired", "the delta token has expired"));
          return;
        }
        round = begin(kind, Long.parseLong(token[1]));
        offset = 0;
      } else {
        round = begin(kind, -1);
        offset = 0;
      }
      page = page(round, offset);
    }
    send(exchange, 200, page);
  }

  /** A new round over the changes after {@code since} (-1: everything that exists). */
  private Round begin(Kind kind, long since) {
    long upto = sequence;
    List<String> ids = new ArrayList<>();
    if (kind == Kind.USERS) {
      for (User u : users.values()) {
        if (since < 0 ? u.removed == null : u.version > since && u.created <= upto) {
          ids.add(u.id);
        }
      }
    } else {
      Set<String> changed = new LinkedHashSet<>();
      for (MemberChange c : memberChanges) {
        if (c.seq > since && c.seq <= upto) {
          changed.add(c.groupId);
        }
      }
      for (Group g : groups.values()) {
        if (since < 0 ? g.removed == null : g.version > since || changed.contains(g.id)) {
          ids.add(g.id);
        }
      }
    }
    ids.sort(Comparator.naturalOrder());
    Round round = new Round(UUID.randomUUID().toString(), kind, since, upto, ids);
    rounds.put(round.id, round);
    return round;
  }

  private ObjectNode page(Round round, int offset) {
    int size = round.kind == Kind.USERS ? userPageSize : groupPageSize;
    int end = Math.min(round.ids.size(), offset + size);
    String collection = round.kind == Kind.USERS ? "users" : "groups";
    ObjectNode body = JSON.createObjectNode();
    body.put("@odata.context", graphUrl() + "/$metadata#" + collection + "(*)");
    ArrayNode value = body.putArray("value");
    for (String id : round.ids.subList(offset, end)) {
      value.add(
          round.kind == Kind.USERS ? render(users.get(id), round) : render(groups.get(id), round));
    }
    String base = graphUrl() + "/" + collection + "/delta?";
    if (end < round.ids.size()) {
      body.put("@odata.nextLink", base + "$skiptoken=" + round.id + "." + end);
    } else {
      rounds.remove(round.id);
      body.put("@odata.deltaLink", base + "$deltatoken=" + generation + "." + round.upto);
    }
    return body;
  }

  private ObjectNode render(User user, Round round) {
    ObjectNode node = JSON.createObjectNode();
    if (user.removed != null) {
      node.put("id", user.id);
      node.putObject("@removed").put("reason", user.removed);
      return node;
    }
    user.properties().forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
    return node;
  }

  private ObjectNode render(Group group, Round round) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", group.id);
    if (group.removed != null) {
      node.putObject("@removed").put("reason", group.removed);
      return node;
    }
    node.put("displayName", group.displayName);
    node.put("description", group.description);
    ArrayNode members = node.putArray("members@delta");
    if (round.since < 0) {
      for (String member : group.members) {
        members.addObject().put("@odata.type", typeOf(member)).put("id", member);
      }
    } else {
      // The last change of each member in this round's window decides what is reported.
      Map<String, Boolean> last = new LinkedHashMap<>();
      for (MemberChange c : memberChanges) {
        if (c.groupId.equals(group.id) && c.seq > round.since && c.seq <= round.upto) {
          last.put(c.memberId, c.added);
        }
      }
      last.forEach(
          (member, added) -> {
            ObjectNode m = members.addObject().put("@odata.type", typeOf(member)).put("id", member);
            if (!added) {
              m.putObject("@removed").put("reason", "deleted");
            }
          });
    }
    return node;
  }

  private String typeOf(String id) {
    return groups.containsKey(id) ? "#microsoft.graph.group" : "#microsoft.graph.user";
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ObjectNode error(String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("code", code).put("message", message);
    return body;
  }

  private static ObjectNode oauthError(String code, String description) {
    ObjectNode body = JSON.createObjectNode();
    body.put("error", code);
    body.put("error_description", description);
    return body;
  }

  private static Map<String, String> parse(String encoded) {
    Map<String, String> values = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      values.put(key, value);
    }
    return values;
  }

  // ---- generation ----

  private void generate(int userCount, int groupCount, Random random) {
    List<String> userIds = new ArrayList<>();
    for (int i = 0; i < userCount; i++) {
      User user = new User();
      user.id = new UUID(random.nextLong(), random.nextLong()).toString();
      user.givenName = FIRST[random.nextInt(FIRST.length)];
      user.surname = LAST[random.nextInt(LAST.length)];
      user.displayName = user.givenName + " " + user.surname;
      String domain = i % 10 == 9 ? "fabrikam.example" : "contoso.example";
      user.upn = String.format("user%05d@%s", i, domain);
      user.mail = user.upn;
      user.jobTitle = random.nextInt(4) == 0 ? null : "Title " + random.nextInt(40);
      user.department = DEPARTMENTS[random.nextInt(DEPARTMENTS.length)];
      user.accountEnabled = random.nextInt(20) != 0;
      user.created = user.version = ++sequence;
      users.put(user.id, user);
      userIds.add(user.id);
    }
    int most = Math.max(1, Math.min(userCount, 2 * userCount / Math.max(1, groupCount)));
    for (int i = 0; i < groupCount; i++) {
      Group group = new Group();
      group.id = new UUID(random.nextLong(), random.nextLong()).toString();
      group.displayName = String.format("Group %03d", i);
      group.description = "generated group " + i;
      int count = userIds.isEmpty() ? 0 : 1 + random.nextInt(most);
      for (int m = 0; m < count; m++) {
        group.members.add(userIds.get(random.nextInt(userIds.size())));
      }
      group.version = ++sequence;
      groups.put(group.id, group);
    }
  }

  private User require(String id) {
    User user = users.get(id);
    if (user == null) {
      throw new IllegalArgumentException("no such user: " + id);
    }
    return user;
  }

  private Group requireGroup(String id) {
    Group group = groups.get(id);
    if (group == null || group.removed != null) {
      throw new IllegalArgumentException("no such group: " + id);
    }
    return group;
  }

  private enum Kind {
    USERS,
    GROUPS
  }

  private record Round(String id, Kind kind, long since, long upto, List<String> ids) {}

  private record MemberChange(long seq, String groupId, String memberId, boolean added) {}

  private static final class User {
    String id;
    String upn;
    String displayName;
    String givenName;
    String surname;
    String mail;
    String jobTitle;
    String department;
    boolean accountEnabled;
    long created;
    long version;
    String removed;

    Map<String, Object> properties() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", id);
      p.put("userPrincipalName", upn);
      p.put("displayName", displayName);
      // Graph leaves out properties that were never set.
      if (givenName != null) p.put("givenName", givenName);
      if (surname != null) p.put("surname", surname);
      if (mail != null) p.put("mail", mail);
      if (jobTitle != null) p.put("jobTitle", jobTitle);
      if (department != null) p.put("department", department);
      p.put("accountEnabled", accountEnabled);
      return p;
    }
  }

  private static final class Group {
    String id;
    String displayName;
    String description;
    long version;
    String removed;
    final Set<String> members = new LinkedHashSet<>();
  }
}

package io.provisioninghub.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SCIM write load with a well-defined order per resource: one thread per resource issues its writes
 * one after another, retrying a write (same intended state) after a 503 or a lost connection until
 * it is acknowledged. Every acknowledged write is recorded with the state and version it must have
 * produced, to compare with the store afterwards.
 *
 * <p>User threads create a user, then PATCH it: each step sets a new displayName and every third
 * step deactivates it ({@code active:false}), the next reactivates it. Group threads create a
 * group, then per step create a user and add it as a member.
 */
final class Load {

  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

  /** How long one write is retried before the client gives up on it. */
  static final Duration RETRY_BUDGET = Duration.ofSeconds(90);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What one user thread got acknowledged. */
  static final class UserTrack {
    final String tenant;
    final String userName;
    volatile String id;
    volatile int steps; // acknowledged PATCH steps
    volatile long version;
    volatile String displayName;
    volatile boolean active = true;

    UserTrack(String tenant, String userName) {
      this.tenant = tenant;
      this.userName = userName;
    }
  }

  /** What one group thread got acknowledged. */
  static final class GroupTrack {
    final String tenant;
    final String displayName;
    volatile String id;
    final Set<String> members = ConcurrentHashMap.newKeySet();
    final List<UserTrack> memberUsers = new CopyOnWriteArrayList<>();

    GroupTrack(String tenant, String displayName) {
      this.tenant = tenant;
      this.displayName = displayName;
    }
  }

  final String name;
  final Map<String, String> tokens; // tenant -> bearer secret
  final String baseUrl;
  final List<UserTrack> users = new CopyOnWriteArrayList<>();
  final List<GroupTrack> groups = new CopyOnWriteArrayList<>();

  final AtomicLong attempted = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  final AtomicLong connectionErrors = new AtomicLong();

  /** Requests sent whose connection broke before an answer (not a refused connection). */
  final AtomicLong cutInFlight = new AtomicLong();

  /** Requests sent after a SIGTERM that met a connection the stopping server closed. */
  final AtomicLong resetAfterStop = new AtomicLong();

  private volatile long stopSignalledNanos = Long.MAX_VALUE;

  final AtomicLong createConflictsResolved = new AtomicLong();
  final AtomicLong logicalWrites = new AtomicLong();
  final AtomicLong maxUnavailableMillis = new AtomicLong();
  final AtomicLong lastAckNanos = new AtomicLong();

  /** Anything that breaks the contract: a 5xx other than 503, a 503 without Retry-After, ... */
  final List<String> violations = new CopyOnWriteArrayList<>();

  final AtomicLong abandoned = new AtomicLong();

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean abandon = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final long writeBudget;
  private final long intervalNanos;

  /**
   * @param writesPerSecond overall pace (each thread takes its share)
   * @param writeBudget at most this many logical writes in all
   */
  Load(
      String name,
      Map<String, String> tokens,
      String baseUrl,
      int userThreads,
      int groupThreads,
      double writesPerSecond,
      long writeBudget) {
    this.name = name;
    this.tokens = tokens;
    this.baseUrl = baseUrl;
    this.writeBudget = writeBudget;
    int all = userThreads + groupThreads;
    this.intervalNanos = (long) (all * 1e9 / writesPerSecond);
    List<String> tenants = new ArrayList<>(tokens.keySet());
    for (int i = 0; i < userThreads; i++) {
      UserTrack u = new UserTrack(tenants.get(i % tenants.size()), name + "-u" + i + "@chaos.test");
      users.add(u);
      threads.add(new Thread(() -> runUser(u), name + "-user-" + i));
    }
    for (int i = 0; i < groupThreads; i++) {
      GroupTrack g = new GroupTrack(tenants.get(i % tenants.size()), name + "-g" + i);
      groups.add(g);
      threads.add(new Thread(() -> runGroup(g), name + "-group-" + i));
    }
  }

  Load start() {
    threads.forEach(Thread::start);
    return this;
  }

  /** Asks every thread to stop after its current write and waits for them (bounded). */
  Load stopAndJoin() throws InterruptedException {
    stop.set(true);
    long deadline = System.nanoTime() + RETRY_BUDGET.plusSeconds(30).toNanos();
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        violations.add(t.getName() + " did not finish");
      }
    }
    return this;
  }

  /**
   * As {@link #stopAndJoin()}, but a write whose connection fails is given up instead of retried:
   * for a gateway that is being shut down on purpose.
   */
  Load abandonAndJoin() throws InterruptedException {
    abandon.set(true);
    return stopAndJoin();
  }

  private boolean more() {
    return !stop.get() && logicalWrites.get() < writeBudget;
  }

  private void pace(long startedNanos) {
    long wait = intervalNanos - (System.nanoTime() - startedNanos);
    if (wait > 0) {
      // Pacing of the load generator itself, not a wait for Kafka.
      sleepNanos(wait);
    }
  }

  private void runUser(UserTrack u) {
    if (!create(u)) {
      return;
    }
    for (int step = 1; more(); step++) {
      long started = System.nanoTime();
      String displayName = "step-" + step;
      boolean active = step % 3 != 0;
      String body =
          "{\"schemas\":[\""
              + PATCH_OP
              + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\""
              + displayName
              + "\"},{\"op\":\"replace\",\"path\":\"active\",\"value\":"
              + active
              + "}]}";
      Reply reply = write(u.tenant, "PATCH", "/Users/" + u.id, body, false);
      if (reply == null) {
        return;
      }
      long expected = 1L + step;
      long version = reply.version();
      if (version >= 0 && version != expected) {
        violations.add(
            u.userName
                + " step "
                + step
                + " acknowledged as version "
                + version
                + ", not "
                + expected);
      }
      u.steps = step;
      u.version = expected;
      u.displayName = displayName;
      u.active = active;
      pace(started);
    }
  }

  private void runGroup(GroupTrack g) {
    String body = "{\"schemas\":[\"" + GROUP + "\"],\"displayName\":\"" + g.displayName + "\"}";
    Reply created = write(g.tenant, "POST", "/Groups", body, true);
    if (created == null) {
      return;
    }
    g.id =
        created.status == 409
            ? lookup(g.tenant, "Groups", "displayName", g.displayName)
            : created.json().get("id").asText();
    if (g.id == null) {
      return;
    }
    for (int step = 1; more(); step++) {
      long started = System.nanoTime();
      UserTrack member = new UserTrack(g.tenant, g.displayName + "-m" + step + "@chaos.test");
      if (!create(member)) {
        return;
      }
      g.memberUsers.add(member);
      String patch =
          "{\"schemas\":[\""
              + PATCH_OP
              + "\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
              + member.id
              + "\"}]}]}";
      if (write(g.tenant, "PATCH", "/Groups/" + g.id, patch, false) == null) {
        return;
      }
      g.members.add(member.id);
      pace(started);
    }
  }

  /** POST /Users, retried; a 409 after an unconfirmed attempt means that attempt was applied. */
  private boolean create(UserTrack u) {
    String body = "{\"schemas\":[\"" + USER + "\"],\"userName\":\"" + u.userName + "\"}";
    Reply reply = write(u.tenant, "POST", "/Users", body, true);
    if (reply == null) {
      return false;
    }
    u.id =
        reply.status == 409
            ? lookup(u.tenant, "Users", "userName", u.userName)
            : reply.json().get("id").asText();
    u.version = 1;
    return u.id != null;
  }

  private String lookup(String tenant, String resource, String attribute, String value) {
    String filter = URLEncoder.encode(attribute + " eq \"" + value + "\"", StandardCharsets.UTF_8);
    Reply found = write(tenant, "GET", "/" + resource + "?filter=" + filter, null, false);
    if (found == null || found.json().path("totalResults").asInt() != 1) {
      violations.add(resource + " " + value + ": 409 on retry but not found exactly once");
      return null;
    }
    createConflictsResolved.incrementAndGet();
    return found.json().path("Resources").get(0).get("id").asText();
  }

  /** Marks the moment a SIGTERM is sent to the gateway (requests sent later are not in flight). */
  void stopSignalled() {
    stopSignalledNanos = System.nanoTime();
  }

  /**
   * One logical write, retried until acknowledged. Returns the 2xx reply, a 409 on a create retried
   * after an unconfirmed attempt, or null after recording why it failed.
   */
  private Reply write(String tenant, String method, String path, String body, boolean create) {
    boolean counted = !"GET".equals(method);
    if (counted) {
      logicalWrites.incrementAndGet();
    }
    boolean unconfirmed = false;
    long deadline = System.nanoTime() + RETRY_BUDGET.toNanos();
    while (System.nanoTime() < deadline) {
      if (counted) {
        attempted.incrementAndGet();
      }
      long started = System.nanoTime();
      Reply reply;
      try {
        reply = send(tenant, method, path, body);
      } catch (IOException e) {
        // The gateway is down or was killed mid-request: the write may or may not have happened.
        connectionErrors.incrementAndGet();
        if (!(e instanceof java.net.ConnectException)) {
          // Only a request the server already had when it was told to stop counts as cut; one
          // sent afterwards may meet a connection being closed, like a refused one.
          if (started < stopSignalledNanos) {
            cutInFlight.incrementAndGet();
          } else {
            resetAfterStop.incrementAndGet();
          }
        }
        if (abandon.get()) {
          abandoned.incrementAndGet();
          return null;
        }
        unconfirmed = true;
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(200));
        continue;
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      if (reply.status / 100 == 2) {
        if (counted) {
          acknowledged.incrementAndGet();
          lastAckNanos.set(System.nanoTime());
        }
        return reply;
      }
      if (reply.status == 503) {
        unavailable.incrementAndGet();
        maxUnavailableMillis.accumulateAndGet(millis, Math::max);
        String retryAfter = reply.response.headers().firstValue("Retry-After").orElse(null);
        if (retryAfter == null) {
          violations.add(method + " " + path + ": 503 without Retry-After");
        }
        if (!reply.body().contains(ERROR)) {
          violations.add(method + " " + path + ": 503 without a SCIM error body");
        }
        if (abandon.get()) {
          abandoned.incrementAndGet();
          return null;
        }
        unconfirmed = true;
        // Shorter than Retry-After so that recovery is seen as soon as it happens.
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(250));
        continue;
      }
      if (reply.status == 429) {
        // Not a fault: the tenant's rate limit. Retried after Retry-After, as Entra does.
        throttled.incrementAndGet();
        sleepNanos(TimeUnit.SECONDS.toNanos(1));
        continue;
      }
      if (reply.status == 409 && create && unconfirmed) {
        return reply;
      }
      violations.add(method + " " + path + " answered " + reply.status + ": " + reply.body());
      return null;
    }
    violations.add(method + " " + path + " not acknowledged within " + RETRY_BUDGET);
    return null;
  }

  private Reply send(String tenant, String method, String path, String body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + tokens.get(tenant));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/scim+json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    try {
      return new Reply(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Sends one read as the given tenant. */
  Reply read(String tenant, String path) throws IOException {
    return send(tenant, "GET", path, null);
  }

  static void sleepNanos(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One HTTP answer. */
  static final class Reply {
    final HttpResponse<String> response;
    final int status;

    Reply(HttpResponse<String> response) {
      this.response = response;
      this.status = response.statusCode();
    }

    String body() {
      return response.body() == null ? "" : response.body();
    }

    JsonNode json() {
      try {
        return ContractJson.mapper().readTree(body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body(), e);
      }
    }

    /** meta.version of the body, or the ETag, as a number; -1 when the answer carries neither. */
    long version() {
      String tag = response.headers().firstValue("ETag").orElse(null);
      if (tag == null && !body().isEmpty()) {
        tag = json().path("meta").path("version").asText(null);
      }
      if (tag == null) {
        return -1;
      }
      String digits = tag.replaceAll("[^0-9]", "");
      return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
  }

  String summary() {
    return String.format(
        "%s: logical writes %d, HTTP attempts %d, acknowledged %d, 503 %d (slowest %d ms), 429 %d,"
            + " connection errors %d (cut in flight %d, reset after a stop %d), creates confirmed by"
            + " 409 %d, violations %d",
        name,
        logicalWrites.get(),
        attempted.get(),
        acknowledged.get(),
        unavailable.get(),
        maxUnavailableMillis.get(),
        throttled.get(),
        connectionErrors.get(),
        cutInFlight.get(),
        resetAfterStop.get(),
        createConflictsResolved.get(),
        violations.size());
  }
}

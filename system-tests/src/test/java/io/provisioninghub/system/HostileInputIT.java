package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input suite (docs/input-contract.md): seeded requests across every family of bad
 * input, sent over raw HTTP. It asserts no 5xx, no timeout, a SCIM error body on every 4xx, no
 * invalid write answered 2xx, the canaries unchanged, nothing created by an invalid request, the
 * dead-letter topic unchanged and every service ready at the end.
 *
 * <p>{@code -Dphub.hostile.requests} (default 2,000 in {@code mvn verify}) and {@code
 * -Dphub.hostile.seed} make a run reproducible. Against the local stack see the README of
 * system-tests.
 */
class HostileInputIT {

  static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

  @Test
  void hostileInputIsRefusedCleanlyAndChangesNothing() throws Exception {
    SystemUnderTest sut = SystemUnderTest.get();
    long seed = Long.getLong("phub.hostile.seed", 20261202L);
    int requests = Integer.getInteger("phub.hostile.requests", 2000);
    int parallel = Integer.getInteger("phub.hostile.parallel", 8);
    List<String> readyUrls = readinessUrls(sut);
    String bootstrap = bootstrap(sut);
    Scim scim = hostileTenant(sut);

    // Canaries: a user and a group with a member, which invalid writes target.
    String canaryUser = id(scim.post("/Users", canaryUserBody(seed)));
    String member = id(scim.createUser(Scim.uniqueName("hostile-member")));
    String canaryGroup =
        id(
            scim.post(
                "/Groups",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                    + "\"displayName\":\"hostile-canary-"
                    + seed
                    + "-"
                    + java.util.UUID.randomUUID()
                    + "\",\"members\":[{\"value\":\""
                    + member
                    + "\"}]}"));
    String scratchUser = id(scim.createUser(Scim.uniqueName("hostile-scratch")));
    JsonNode userBefore = scim.get("/Users/" + canaryUser).json();
    JsonNode groupBefore = scim.get("/Groups/" + canaryGroup).json();
    long deadLettersBefore = deadLetters(bootstrap);

    URI base = URI.create(scim.baseUrl());
    HostileCases cases =
        new HostileCases(
            seed, base.getRawPath(), scim.token(), canaryUser, canaryGroup, scratchUser);
    List<HostileCases.Case> all = cases.generate(requests);

    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Map<String, int[]> byFamily = Collections.synchronizedMap(new TreeMap<>());
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (HostileCases.Case c : all) {
        running.add(pool.submit(() -> check(c, base, failures, byFamily)));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "hostile input: %d requests, seed %d, %.1f s, per family [sent, 4xx, 2xx]: %s%n",
        all.size(),
        seed,
        seconds,
        byFamily.entrySet().stream()
            .map(e -> e.getKey() + "=" + java.util.Arrays.toString(e.getValue()))
            .collect(Collectors.joining(", ")));

    assertThat(failures)
        .as("seed %d: %d of %d requests misanswered", seed, failures.size(), all.size())
        .isEmpty();

    // Nothing changed, nothing created, nothing dead-lettered, everything still up.
    assertThat(scim.get("/Users/" + canaryUser).json()).isEqualTo(userBefore);
    assertThat(scim.get("/Groups/" + canaryGroup).json()).isEqualTo(groupBefore);
    assertThat(
            scim.filter("Users", "userName sw \"" + cases.marker + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .as("users created by invalid requests")
        .isZero();
    assertThat(
            scim.filter("Groups", "displayName sw \"" + cases.marker + "\"", null)
                .json()
                .get("totalResults")
                .asInt())
        .as("groups created by invalid requests")
        .isZero();
    if (bootstrap != null) {
      assertThat(deadLetters(bootstrap))
          .as("records on the dead-letter topic")
          .isEqualTo(deadLettersBefore);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (String url : readyUrls) {
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(url + " " + ready.body()).isEqualTo(200);
    }
  }

  private static void check(
      HostileCases.Case c, URI base, List<String> failures, Map<String, int[]> byFamily) {
    RawRequest.Response response;
    try {
      response = c.request().send(base, 10_000);
    } catch (Exception e) {
      failures.add(c.describe() + " -> " + e);
      return;
    }
    int status = response.status();
    int[] counts = byFamily.computeIfAbsent(c.family(), k -> new int[3]);
    synchronized (counts) {
      counts[0]++;
      if (status >= 400 && status < 500) {
        counts[1]++;
      } else if (status >= 200 && status < 300) {
        counts[2]++;
      }
    }
    String problem = null;
    if (status == -1) {
      problem = "timed out";
    } else if (status == 0) {
      problem = "connection closed without an answer";
    } else if (status >= 500) {
      problem = "5xx";
    } else if (status == 429) {
      problem = "rate limited (raise the tenant's limit: a 429 hides the answer under test)";
    } else if (c.expect() == HostileCases.Expect.INVALID && status < 400) {
      problem = "invalid request accepted";
    } else if (status >= 400) {
      problem = scimErrorProblem(response);
    }
    if (problem != null) {
      String body = response.text();
      failures.add(
          c.describe()
              + " -> "
              + problem
              + ": "
              + status
              + " "
              + response.contentType()
              + " "
              + (body.length() > 300 ? body.substring(0, 300) : body));
    }
  }

  /** Null if the response is an RFC 7644 section 3.12 error of its own status. */
  private static String scimErrorProblem(RawRequest.Response response) {
    if (!response.contentType().startsWith("application/scim+json")) {
      return "not application/scim+json";
    }
    try {
      JsonNode error = ContractJson.mapper().readTree(response.body());
      if (!error.path("schemas").toString().contains(ERROR)) {
        return "no Error schema";
      }
      if (!error.path("status").isTextual()
          || !error.path("status").asText().equals(Integer.toString(response.status()))) {
        return "status is not the HTTP status as a string";
      }
      return null;
    } catch (Exception e) {
      return "error body is not JSON";
    }
  }

  /**
   * The tenant the suite runs as: against the started system one of its own, with a rate limit the
   * suite cannot reach (a 429 would hide what the request itself gets, so it counts as a failure);
   * against a stack, the given token's tenant, whose limit the operator raises first.
   */
  private static Scim hostileTenant(SystemUnderTest sut) {
    if (!sut.ownsSystem()) {
      return sut.tenantA;
    }
    String tenant = "hostile-" + sut.suffix;
    assertThat(sut.registry.createTenant(tenant).status()).isEqualTo(201);
    assertThat(
            sut.registry
                .patch(
                    "/tenants/" + tenant,
                    "{\"rateLimit\":{\"requestsPerSecond\":100000,\"burst\":100000}}")
                .status())
        .isEqualTo(200);
    Scim scim = new Scim(sut.tenantA.baseUrl(), sut.issue(tenant));
    // The gateway learns of the tenant, its secret and its limit from tenants.v1.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> scim.get("/Users?count=1").status() == 200);
    return scim;
  }

  private static String canaryUserBody(long seed) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
        + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],"
        + "\"userName\":\""
        + Scim.uniqueName("hostile-canary-" + seed)
        + "\",\"displayName\":\"Canary\",\"title\":\"Canary\",\"active\":true,"
        + "\"name\":{\"givenName\":\"Can\",\"familyName\":\"Ary\"},"
        + "\"emails\":[{\"value\":\"canary@contoso.com\",\"type\":\"work\",\"primary\":true}],"
        + "\"phoneNumbers\":[{\"value\":\"+1 555 0100\",\"type\":\"work\"}],"
        + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
        + "{\"department\":\"Birds\",\"employeeNumber\":\"7\"}}";
  }

  private static String id(Scim.Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  /** Readiness of every service: the started ones, or -Dphub.ready-urls against a stack. */
  private static List<String> readinessUrls(SystemUnderTest sut) {
    if (sut.ownsSystem()) {
      sut.audit(); // the audit log consumes every command: it must survive them too
      return sut.services().values().stream()
          .map(s -> s.managementUrl() + "/q/health/ready")
          .toList();
    }
    String urls = System.getProperty("phub.ready-urls", "");
    return urls.isBlank() ? List.of() : List.of(urls.split(","));
  }

  /** The broker whose dead-letter topic is watched: the started one, or -Dphub.kafka.bootstrap. */
  private static String bootstrap(SystemUnderTest sut) {
    if (sut.ownsSystem()) {
      return Infrastructure.shared().kafka().bootstrapServers();
    }
    String bootstrap = System.getProperty("phub.kafka.bootstrap", "");
    return bootstrap.isBlank() ? null : bootstrap;
  }

  /** How many records the dead-letter topic holds (end offsets summed). */
  private static long deadLetters(String bootstrap) throws Exception {
    if (bootstrap == null) {
      return 0;
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      var description =
          admin
              .describeTopics(List.of(Topics.COMMANDS_DLQ))
              .allTopicNames()
              .get()
              .get(Topics.COMMANDS_DLQ);
      Map<TopicPartition, OffsetSpec> latest =
          description.partitions().stream()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition(Topics.COMMANDS_DLQ, p.partition()),
                      p -> OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }
}

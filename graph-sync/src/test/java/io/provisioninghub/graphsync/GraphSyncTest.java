package io.provisioninghub.graphsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.graphsync.scim.ScimTarget.Kind;
import io.provisioninghub.graphsync.settings.SettingsStore;
import io.provisioninghub.graphsync.settings.SyncSettings;
import io.provisioninghub.testkit.GraphSimulator;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * graph-sync on the real database, against the Graph simulator, with the gateway played in memory
 * ({@link InMemoryScim}): the admin API (secret write-only and encrypted), a full round, an
 * incremental round with every kind of change, a 429 and an expired delta link in one round, a
 * scope by domain, a wrong secret, and leases that keep two instances off the same tenant.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(GraphSyncTestResource.class)
class GraphSyncTest {

  @Inject InMemoryScim scim;
  @Inject SettingsStore store;

  static String newTenant() {
    return "graph-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String admin() {
    return GraphSyncTestResource.ADMIN.adminToken();
  }

  static GraphSimulator graph() {
    return GraphSyncTestResource.graph;
  }

  static String settings(String secret, String extra) {
    return "{\"entraTenantId\":\""
        + GraphSimulator.TENANT_ID
        + "\",\"clientId\":\""
        + GraphSimulator.CLIENT_ID
        + "\""
        + (secret == null ? "" : ",\"clientSecret\":\"" + secret + "\"")
        + ",\"interval\":\"PT1H\""
        + extra
        + "}";
  }

  static Response put(String tenant, String body) {
    return given()
        .auth()
        .oauth2(admin())
        .contentType("application/json")
        .body(body)
        .put("/admin/v1/tenants/" + tenant + "/graph-sync");
  }

  @Test
  void theAdminApiKeepsTheSecretWriteOnlyAndEncrypted() throws Exception {
    String tenant = newTenant();
    String secret = graph().clientSecret();
    assertThat(
            given()
                .contentType("application/json")
                .body(settings(secret, ""))
                .put("/admin/v1/tenants/" + tenant + "/graph-sync")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            given()
                .auth()
                .oauth2(GraphSyncTestResource.ADMIN.token(Duration.ofMinutes(5), "support"))
                .get("/admin/v1/tenants/" + tenant + "/graph-sync")
                .statusCode())
        .isEqualTo(403);
    assertThat(put(tenant, settings(null, "")).statusCode()).isEqualTo(400);
    assertThat(put(tenant, settings(secret, ",\"interval\":\"PT5S\"")).statusCode()).isEqualTo(400);
    assertThat(put(tenant, settings(secret, ",\"groupIds\":[\"x\"]")).statusCode()).isEqualTo(400);

    Response created = put(tenant, settings(secret, ",\"enabled\":false"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.asString()).doesNotContain(secret);
    assertThat(created.jsonPath().getBoolean("clientSecretSet")).isTrue();
    assertThat(created.jsonPath().getBoolean("enabled")).isFalse();
    // A change without the secret keeps it.
    assertThat(put(tenant, settings(null, ",\"enabled\":true")).statusCode()).isEqualTo(200);
    Response read =
        given().auth().oauth2(admin()).get("/admin/v1/tenants/" + tenant + "/graph-sync");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.asString()).doesNotContain(secret).doesNotContain("clientSecret\"");
    assertThat(read.jsonPath().getString("interval")).isEqualTo("PT1H");
    assertThat(read.jsonPath().getBoolean("enabled")).isTrue();

    byte[] stored = storedSecret(tenant);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(stored.length).isGreaterThan(secret.length());
    assertThat(
            given()
                .auth()
                .oauth2(admin())
                .get("/admin/v1/tenants/" + newTenant() + "/graph-sync/status")
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aFullRoundThenAnIncrementalRoundMirrorTheDirectory() {
    String tenant = newTenant();
    assertThat(put(tenant, settings(graph().clientSecret(), "")).statusCode()).isEqualTo(201);
    // (other tests of this class change the shared directory too)
    int userCount = graph().userIds().size();
    int groupCount = graph().groupIds().size();
    JsonPath first = awaitFirstRound(tenant);
    assertThat(first.getString("lastRound.kind")).isEqualTo("full");
    assertThat(first.getBoolean("usersDeltaLink")).isTrue();
    assertThat(first.getBoolean("groupsDeltaLink")).isTrue();
    assertThat(first.getLong("lastRound.counts.usersCreated")).isEqualTo(userCount);
    assertThat(first.getLong("lastRound.counts.groupsCreated")).isEqualTo(groupCount);
    assertMirrors(tenant, Set.of(), u -> true);

    List<String> users = graph().userIds();
    String group = graph().groupIds().get(0);
    String member = graph().members(group).iterator().next();
    String newcomer =
        users.stream().filter(u -> !graph().members(group).contains(u)).findFirst().orElseThrow();
    graph().updateUser(users.get(10), "jobTitle", "Head of Testing");
    graph().updateUser(users.get(11), "displayName", "Renamed Person");
    graph().disableUser(users.get(12));
    graph().softDeleteUser(users.get(13));
    graph().hardDeleteUser(users.get(14));
    graph().removeMember(group, member);
    graph().addMember(group, newcomer);
    graph().renameGroup(graph().groupIds().get(1), "Renamed Group");
    String gone = graph().groupIds().get(2);
    graph().deleteGroup(gone);

    int writesBefore = scim.writes.get();
    JsonPath second = runAndAwait(tenant, first.getString("lastRound.roundId"));
    assertThat(second.getString("lastRound.kind")).isEqualTo("incremental");
    assertThat(second.getLong("lastRound.counts.usersSoftDeleted")).isEqualTo(1);
    assertThat(second.getLong("lastRound.counts.usersDeleted")).isEqualTo(1);
    assertThat(second.getLong("lastRound.counts.groupsDeleted")).isEqualTo(1);
    // Only the renamed group is written; the one listed for its members keeps its name.
    assertThat(second.getLong("lastRound.counts.groupsUpdated")).isEqualTo(1);
    // Only the changes were written, not the directory again.
    assertThat(scim.writes.get() - writesBefore).isLessThan(40);
    assertMirrors(tenant, Set.of(users.get(13)), u -> true);
    assertThat(user(tenant, users.get(10)).path("title").asText()).isEqualTo("Head of Testing");
    assertThat(user(tenant, users.get(12)).path("active").asBoolean()).isFalse();
    assertThat(user(tenant, users.get(13)).path("active").asBoolean()).isFalse();
    assertThat(scim.byExternalId(tenant, Kind.USERS, users.get(14))).isEmpty();
    assertThat(scim.byExternalId(tenant, Kind.GROUPS, gone)).isEmpty();
    assertThat(scim.byExternalId(tenant, Kind.GROUPS, graph().groupIds().get(0)))
        .isPresent(); // (ids shift after a delete; the rename is checked by assertMirrors)
  }

  @Test
  void aThrottledRequestAndAnExpiredDeltaLinkStillEndInAMirror() {
    String tenant = newTenant();
    assertThat(put(tenant, settings(graph().clientSecret(), "")).statusCode()).isEqualTo(201);
    JsonPath first = awaitFirstRound(tenant);
    assertThat(first.getString("lastRound.status")).isEqualTo("succeeded");

    String leaver = graph().userIds().get(20);
    graph().hardDeleteUser(leaver);
    graph().updateUser(graph().userIds().get(21), "department", "Research");
    graph().expireDeltaLinks();
    int throttledBefore = graph().throttledRequests();
    graph().throttle(1, 1);

    JsonPath second = runAndAwait(tenant, first.getString("lastRound.roundId"));
    assertThat(second.getString("lastRound.status")).isEqualTo("succeeded");
    assertThat(second.getString("lastRound.kind")).isEqualTo("full");
    assertThat(second.getLong("lastRound.counts.usersResyncs")).isEqualTo(1);
    assertThat(second.getLong("lastRound.counts.groupsResyncs")).isEqualTo(1);
    // The resync lists everyone again; only the changed user is written.
    assertThat(second.getLong("lastRound.counts.usersUpdated")).isEqualTo(1);
    assertThat(second.getLong("lastRound.counts.usersUnchanged"))
        .isEqualTo(graph().userIds().size() - 1);
    assertThat(graph().throttledRequests()).isEqualTo(throttledBefore + 1);
    // The leaver was removed while the link was expired: the full listing no longer has them.
    assertThat(user(tenant, leaver).path("active").asBoolean()).isFalse();
    assertThat(
            user(tenant, graph().userIds().get(21))
                .path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                .path("department")
                .asText())
        .isEqualTo("Research");
    assertMirrors(tenant, Set.of(leaver), u -> true);
  }

  @Test
  void onlyUsersOfTheScopedDomainsAreWritten() {
    String tenant = newTenant();
    assertThat(
            put(tenant, settings(graph().clientSecret(), ",\"userDomains\":[\"fabrikam.example\"]"))
                .statusCode())
        .isEqualTo(201);
    JsonPath done = awaitFirstRound(tenant);
    assertThat(done.getString("lastRound.status")).isEqualTo("succeeded");
    Predicate<String> inScope =
        id -> graph().user(id).get("userPrincipalName").toString().endsWith("@fabrikam.example");
    assertThat(scim.of(tenant, Kind.USERS))
        .hasSize((int) graph().userIds().stream().filter(inScope).count());
    assertMirrors(tenant, Set.of(), inScope);
  }

  /**
   * A certificate credential: checked when set (the key must be the certificate's), answered only
   * by thumbprint and end of validity, its key stored encrypted; rounds ask for tokens with a
   * client assertion signed with it, and a certificate the app registration does not have fails the
   * round as Entra would.
   */
  @Test
  void aCertificateCredentialSignsTheTokenRequestAndItsKeyStaysWriteOnly() throws Exception {
    AppCertificate registered = AppCertificate.generate();
    AppCertificate other = AppCertificate.generate();
    graph().clientCertificate(registered.certificate());
    String tenant = newTenant();
    assertThat(
            put(tenant, settings(null, ",\"clientCertificate\":" + other.json(registered.keyPem())))
                .statusCode())
        .as("a key that is not the certificate's")
        .isEqualTo(400);
    assertThat(
            put(
                    tenant,
                    settings(
                        graph().clientSecret(),
                        ",\"clientCertificate\":" + registered.json(registered.keyPem())))
                .statusCode())
        .as("a secret and a certificate at once")
        .isEqualTo(400);
    assertThat(
            put(tenant, settings(null, ",\"clientCertificate\":{\"certificate\":\"x\"}"))
                .statusCode())
        .isEqualTo(400);

    Response created =
        put(
            tenant,
            settings(null, ",\"clientCertificate\":" + registered.json(registered.keyPem())));
    assertThat(created.statusCode()).as(created.asString()).isEqualTo(201);
    assertThat(created.jsonPath().getString("credential")).isEqualTo("certificate");
    assertThat(created.jsonPath().getString("certificateThumbprint"))
        .isEqualTo(registered.thumbprint());
    assertThat(created.jsonPath().getString("certificateNotAfter")).isNotBlank();
    assertThat(created.jsonPath().getBoolean("clientSecretSet")).isFalse();
    assertThat(created.asString()).doesNotContain(registered.keyBase64Start());
    assertThat(new String(storedSecret(tenant), StandardCharsets.ISO_8859_1))
        .doesNotContain(registered.keyBase64Start())
        .doesNotContain("PRIVATE KEY");

    JsonPath done = awaitFirstRound(tenant);
    assertThat(done.getString("lastRound.status")).as(done.prettify()).isEqualTo("succeeded");
    assertThat(scim.of(tenant, Kind.USERS)).isNotEmpty();

    String stranger = newTenant();
    assertThat(
            put(stranger, settings(null, ",\"clientCertificate\":" + other.json(other.keyPem())))
                .statusCode())
        .isEqualTo(201);
    JsonPath refused = awaitFirstRound(stranger);
    assertThat(refused.getString("lastRound.status")).isEqualTo("failed");
    assertThat(refused.getString("lastRound.error")).contains("invalid_client");
    assertThat(scim.of(stranger, Kind.USERS)).isEmpty();
  }

  /** A self-signed RSA certificate and its key, as an operator would upload to Entra ID. */
  private record AppCertificate(
      java.security.cert.X509Certificate certificate, java.security.PrivateKey key) {

    static AppCertificate generate() throws Exception {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      java.security.KeyPair pair = generator.generateKeyPair();
      java.time.Instant now = java.time.Instant.now();
      org.bouncycastle.asn1.x500.X500Name name =
          new org.bouncycastle.asn1.x500.X500Name("CN=graph-sync-test-" + UUID.randomUUID());
      var holder =
          new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                  name,
                  java.math.BigInteger.valueOf(now.toEpochMilli()),
                  java.util.Date.from(now.minus(Duration.ofHours(1))),
                  java.util.Date.from(now.plus(Duration.ofDays(30))),
                  name,
                  pair.getPublic())
              .build(
                  new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                      .build(pair.getPrivate()));
      return new AppCertificate(
          new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder),
          pair.getPrivate());
    }

    String certificatePem() throws Exception {
      return pem("CERTIFICATE", certificate.getEncoded());
    }

    String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }

    String keyBase64Start() {
      return java.util.Base64.getEncoder().encodeToString(key.getEncoded()).substring(0, 40);
    }

    String thumbprint() throws Exception {
      return java.util.HexFormat.of()
          .withUpperCase()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    }

    /** The clientCertificate member: this certificate with the given key. */
    String json(String keyPem) throws Exception {
      ObjectNode node = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      node.put("certificate", certificatePem());
      node.put("privateKey", keyPem);
      return node.toString();
    }

    private static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }

  @Test
  void aWrongSecretFailsTheRoundWithoutNamingIt() {
    String tenant = newTenant();
    String wrong = "not-the-secret-" + UUID.randomUUID();
    assertThat(put(tenant, settings(wrong, "")).statusCode()).isEqualTo(201);
    JsonPath failed = awaitFirstRound(tenant);
    assertThat(failed.getString("lastRound.status")).isEqualTo("failed");
    assertThat(failed.getString("lastRound.error"))
        .contains("invalid_client")
        .doesNotContain(wrong);
    assertThat(failed.getBoolean("usersDeltaLink")).isFalse();
    assertThat(scim.of(tenant, Kind.USERS)).isEmpty();
  }

  @Test
  void aStoredSecretThatNoLongerOpensFailsTheRoundAsTheKindItStartedAs() {
    String tenant = newTenant();
    assertThat(put(tenant, settings(graph().clientSecret(), ",\"enabled\":false")).statusCode())
        .isEqualTo(201);
    // Sealed under another key (or damaged at rest): the round fails before it reaches Graph.
    updateSettings(
        "update graph_sync.tenants set enabled = true, client_secret = ? where tenant_id = ?",
        new byte[40],
        tenant);
    JsonPath failed = awaitFirstRound(tenant);
    assertThat(failed.getString("lastRound.status")).isEqualTo("failed");
    assertThat(failed.getString("lastRound.kind")).isEqualTo("full");
    assertThat(failed.getString("lastRound.error")).isNotBlank();
    assertThat(scim.of(tenant, Kind.USERS)).isEmpty();
  }

  @Test
  void aSuspendedTenantsRoundAsksNothingOfGraphAndTheNextOneGoesOn() {
    String tenant = newTenant();
    assertThat(put(tenant, settings(graph().clientSecret(), "")).statusCode()).isEqualTo(201);
    JsonPath first = awaitFirstRound(tenant);
    assertThat(first.getString("lastRound.status")).isEqualTo("succeeded");

    scim.suspend(tenant, true);
    JsonPath refused;
    try {
      int tokens = graph().tokensIssued();
      long requests = graph().graphRequests();
      refused = runAndAwait(tenant, first.getString("lastRound.roundId"));
      assertThat(graph().tokensIssued()).isEqualTo(tokens);
      assertThat(graph().graphRequests()).isEqualTo(requests);
    } finally {
      scim.suspend(tenant, false);
    }
    assertThat(refused.getString("lastRound.status")).isEqualTo("failed");
    assertThat(refused.getString("lastRound.error")).contains("suspended");
    assertThat(refused.getBoolean("usersDeltaLink")).isTrue();
    JsonPath resumed = runAndAwait(tenant, refused.getString("lastRound.roundId"));
    assertThat(resumed.getString("lastRound.status")).isEqualTo("succeeded");
    assertThat(resumed.getString("lastRound.kind")).isEqualTo("incremental");
  }

  @Test
  void aLeasedTenantIsNotClaimedByAnotherInstance() {
    String tenant = newTenant();
    assertThat(put(tenant, settings(graph().clientSecret(), ",\"enabled\":false")).statusCode())
        .isEqualTo(201);
    updateSettings(
        "update graph_sync.tenants set enabled = true, next_run_at = now() - interval"
            + " '1 minute' where tenant_id = ?",
        tenant);
    // Both "instances" race for what is due; the tenant goes to one, or to the running service.
    List<SyncSettings> a = store.claimDue("instance-a", Duration.ofMinutes(5), 100);
    List<SyncSettings> b = store.claimDue("instance-b", Duration.ofMinutes(5), 100);
    long claims =
        a.stream().filter(t -> t.tenantId().equals(tenant)).count()
            + b.stream().filter(t -> t.tenantId().equals(tenant)).count();
    assertThat(claims).isLessThanOrEqualTo(1);
    assertThat(store.renewLease(tenant, "instance-c", Duration.ofMinutes(5))).isFalse();
  }

  // ---- helpers ----

  private JsonPath runAndAwait(String tenant, String previousRound) {
    Response started =
        given().auth().oauth2(admin()).post("/admin/v1/tenants/" + tenant + "/graph-sync/run");
    assertThat(started.statusCode()).as(started.asString()).isEqualTo(202);
    return awaitRound(tenant, previousRound);
  }

  /**
   * New settings are due at once: their first round starts on the runner's next tick without being
   * asked for (asking as well would queue a second round behind it).
   */
  private JsonPath awaitFirstRound(String tenant) {
    return awaitRound(tenant, null);
  }

  /**
   * Waits until a round other than {@code previousRound} has ended and none is running or asked.
   */
  private JsonPath awaitRound(String tenant, String previousRound) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                given()
                    .auth()
                    .oauth2(admin())
                    .get("/admin/v1/tenants/" + tenant + "/graph-sync/status")
                    .jsonPath(),
            s ->
                s.getString("lastRound.roundId") != null
                    && !s.getString("lastRound.roundId").equals(previousRound)
                    && !"running".equals(s.getString("lastRound.status"))
                    && !s.getBoolean("running")
                    && !s.getBoolean("runRequested"));
  }

  private ObjectNode user(String tenant, String graphId) {
    return scim.byExternalId(tenant, Kind.USERS, graphId).orElseThrow();
  }

  /** Every in-scope user and group of the simulator, as the in-memory gateway holds them. */
  private void assertMirrors(String tenant, Set<String> softDeleted, Predicate<String> inScope) {
    GraphSimulator g = graph();
    Set<String> expected = new HashSet<>();
    for (String id : g.userIds()) {
      if (!inScope.test(id)) {
        continue;
      }
      expected.add(id);
      Map<String, Object> u = g.user(id);
      ObjectNode s = user(tenant, id);
      assertThat(s.path("userName").asText()).isEqualTo(u.get("userPrincipalName"));
      assertThat(s.path("displayName").asText()).isEqualTo(u.get("displayName"));
      assertThat(s.path("active").asBoolean()).as(id).isEqualTo(u.get("accountEnabled"));
    }
    expected.addAll(softDeleted);
    Set<String> held =
        scim.of(tenant, Kind.USERS).values().stream()
            .map(r -> r.path("externalId").asText())
            .collect(Collectors.toSet());
    assertThat(held).isEqualTo(expected);

    Map<String, String> graphIdOf =
        scim.of(tenant, Kind.USERS).values().stream()
            .collect(
                Collectors.toMap(r -> r.get("id").asText(), r -> r.path("externalId").asText()));
    assertThat(scim.of(tenant, Kind.GROUPS)).hasSize(g.groupIds().size());
    for (String groupId : g.groupIds()) {
      ObjectNode group = scim.byExternalId(tenant, Kind.GROUPS, groupId).orElseThrow();
      assertThat(group.path("displayName").asText()).isEqualTo(g.groupDisplayName(groupId));
      Set<String> members =
          scim.membersOf(tenant, group.get("id").asText()).stream()
              .map(graphIdOf::get)
              .collect(Collectors.toSet());
      Set<String> want = g.members(groupId).stream().filter(inScope).collect(Collectors.toSet());
      assertThat(members).as("members of " + groupId).isEqualTo(want);
    }
  }

  /** The tenant's stored (sealed) client secret or certificate key, as graph-sync wrote it. */
  private static byte[] storedSecret(String tenant) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "select client_secret from graph_sync.tenants where tenant_id = ?")) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  /** Changes a tenant's settings row behind the admin API's back (what the API cannot do). */
  private static void updateSettings(String sql, Object... values) {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        s.setObject(i + 1, values[i]);
      }
      assertThat(s.executeUpdate()).isEqualTo(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

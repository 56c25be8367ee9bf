package io.provisioninghub.phubctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tenants}, {@code credentials} and {@code audit} commands against a real HTTP server
 * standing in for the tenant registry and the audit log: the exact request each command sends
 * (method, path and query, bearer token, JSON body) and what it makes of the answers, whose shapes
 * are those of {@code TenantView}, {@code IssuedCredential}, {@code CredentialView}, {@code
 * OperationPage} and {@code TenantSummary}, and of the registry's problem body.
 */
class PhubctlApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "admin-token-123";
  private static final String SUPPORT_TOKEN = "support-token-456";

  private static final String CONTOSO =
      """
      {"id":"contoso","displayName":"Contoso Ltd","idpTenantId":null,"status":"ACTIVE",
       "rateLimit":{"requestsPerSecond":20,"burst":100},"oauthTrust":null,"revision":1,
       "createdAt":"2026-01-05T10:00:00Z","updatedAt":"2026-01-05T10:00:00Z",
       "passwordPolicy":"ignore"}""";

  private static final String ISSUED =
      """
      {"id":"0b8f7a52-3c1e-4a8e-9a57-6f0f2f1d9c11","secret":"phub_s3cr3t-shown-once",
       "status":"ACTIVE","createdAt":"2026-01-05T10:00:00Z","expiresAt":"2026-04-05T10:00:00Z"}""";

  /** One request as the server received it. */
  record Request(String method, String uri, String authorization, String contentType, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** One canned answer. */
  record Answer(int status, String body) {}

  private HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final ConcurrentLinkedDeque<Answer> answers = new ConcurrentLinkedDeque<>();
  private final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    String root = "http://127.0.0.1:" + server.getAddress().getPort();
    env.put("PHUB_ADMIN_URL", root + "/admin/v1");
    env.put("PHUB_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("PHUB_AUDIT_URL", root + "/audit/v1");
    env.put("PHUB_SUPPORT_TOKEN", SUPPORT_TOKEN);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    synchronized (requests) {
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath()
                  + (exchange.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + exchange.getRequestURI().getRawQuery()),
              exchange.getRequestHeaders().getFirst("Authorization"),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              new String(body, StandardCharsets.UTF_8)));
    }
    Answer answer = answers.poll();
    if (answer == null) {
      answer = new Answer(599, "{\"detail\":\"the test gave no answer\"}");
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private void answer(int status, String body) {
    answers.add(new Answer(status, body));
  }

  private int phubctl(String... args) {
    out.reset();
    err.reset();
    return Phubctl.run(
        args,
        env::get,
        new PrintWriter(out, true, StandardCharsets.UTF_8),
        new PrintWriter(err, true, StandardCharsets.UTF_8));
  }

  private Request onlyRequest() {
    assertThat(requests).as("requests the command sent").hasSize(1);
    return requests.get(0);
  }

  // ---------------------------------------------------------------- console sign-in

  private static final String SIGN_IN =
      "{\"tenantId\":\"contoso\",\"issuer\":\"https://login.example.test/t/v2.0\","
          + "\"clientId\":\"app-1\",\"clientSecretSet\":true,"
          + "\"requiredClaim\":{\"name\":\"roles\",\"values\":[\"Provisioning.Admin\"]},"
          + "\"updatedAt\":\"2026-12-04T10:00:00Z\",\"updatedBy\":\"operator\"}";

  @Test
  void consoleSignInSetSendsTheSecretFromAFileAndNeverPrintsIt(@TempDir Path dir) throws Exception {
    Path secretFile = Files.writeString(dir.resolve("secret"), "s3cret~from-a-file\n");
    answer(200, SIGN_IN);

    int code =
        phubctl(
            "tenants",
            "console-sign-in",
            "set",
            "contoso",
            "--issuer",
            "https://login.example.test/t/v2.0",
            "--client-id",
            "app-1",
            "--client-secret-file",
            secretFile.toString(),
            "--required-claim",
            "roles",
            "--required-value",
            "Provisioning.Admin");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("PUT");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso/console-sign-in");
    assertThat(sent.json())
        .isEqualTo(
            JSON.readTree(
                "{\"issuer\":\"https://login.example.test/t/v2.0\",\"clientId\":\"app-1\","
                    + "\"clientSecret\":\"s3cret~from-a-file\",\"requiredClaim\":"
                    + "{\"name\":\"roles\",\"values\":[\"Provisioning.Admin\"]}}"));
    assertThat(out.toString())
        .contains("issuer https://login.example.test/t/v2.0")
        .contains("secret set")
        .contains("roles in [\"Provisioning.Admin\"]")
        .doesNotContain("s3cret");
    assertThat(err.toString()).doesNotContain("s3cret");
  }

  @Test
  void consoleSignInShowAndRemove() throws Exception {
    answer(200, SIGN_IN);
    assertThat(phubctl("tenants", "console-sign-in", "show", "contoso")).isZero();
    assertThat(onlyRequest().method()).isEqualTo("GET");
    assertThat(out.toString()).contains("client app-1");

    requests.clear();
    answer(204, "");
    assertThat(phubctl("tenants", "console-sign-in", "remove", "contoso")).isZero();
    assertThat(onlyRequest().method()).isEqualTo("DELETE");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/contoso/console-sign-in");

    answer(404, "{\"detail\":\"tenant 'contoso' has no console sign-in configured\"}");
    assertThat(phubctl("tenants", "console-sign-in", "show", "contoso")).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("no console sign-in configured");
  }

  @Test
  void consoleSignInClaimAndValueGoTogether() {
    assertThat(
            phubctl(
                "tenants",
                "console-sign-in",
                "set",
                "contoso",
                "--issuer",
                "https://idp.example.test",
                "--client-id",
                "a",
                "--required-claim",
                "roles"))
        .isEqualTo(Phubctl.USAGE);
    assertThat(requests).isEmpty();
  }

  // ---------------------------------------------------------------- tenants

  @Test
  void createPostsTheNewTenantWithTheAdminToken() throws Exception {
    answer(201, CONTOSO);

    int code =
        phubctl(
            "tenants",
            "create",
            "--id",
            "contoso",
            "--display-name",
            "Contoso Ltd",
            "--requests-per-second",
            "20",
            "--burst",
            "100");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants");
    assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
    assertThat(sent.contentType()).isEqualTo("application/json");
    assertThat(sent.json())
        .isEqualTo(
            JSON.readTree(
                """
                {"id":"contoso","displayName":"Contoso Ltd","idpTenantId":null,
                 "rateLimit":{"requestsPerSecond":20,"burst":100}}"""));
    assertThat(out.toString()).startsWith("created contoso").contains("ACTIVE", "Contoso Ltd");
  }

  @Test
  void createWithoutARateLimitLeavesTheRegistrysDefault() throws Exception {
    answer(201, CONTOSO);

    assertThat(phubctl("tenants", "create", "--display-name", "Contoso Ltd")).isZero();

    JsonNode body = onlyRequest().json();
    assertThat(body.path("rateLimit").isNull()).as("rateLimit null: " + body).isTrue();
    assertThat(body.path("id").isNull()).as("id generated by the registry").isTrue();
  }

  @Test
  void listPrintsTheRegistrysAnswerAsJsonOnAsking() throws Exception {
    String list = "[" + CONTOSO + "]";
    answer(200, list);

    int code = phubctl("--output", "json", "tenants", "list");

    assertThat(code).as(err.toString()).isZero();
    assertThat(onlyRequest().method()).isEqualTo("GET");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants");
    assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree(list));
  }

  @Test
  void getOfAnUnknownTenantExitsOneWithTheRegistrysMessage() {
    answer(404, "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no tenant nobody\"}");

    int code = phubctl("tenants", "get", "nobody");

    assertThat(code).isEqualTo(Phubctl.REFUSED);
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/nobody");
    assertThat(err.toString()).contains("HTTP 404").contains("no tenant nobody");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void suspendAndResumePostWithoutABody() {
    answer(200, CONTOSO.replace("ACTIVE", "SUSPENDED"));
    answer(200, CONTOSO);

    assertThat(phubctl("tenants", "suspend", "contoso")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("suspended contoso").contains("SUSPENDED");
    assertThat(phubctl("tenants", "resume", "contoso")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("resumed contoso");

    assertThat(requests)
        .extracting(Request::method, Request::uri, Request::body)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", "/admin/v1/tenants/contoso/suspend", ""),
            org.assertj.core.groups.Tuple.tuple("POST", "/admin/v1/tenants/contoso/resume", ""));
  }

  @Test
  void rateLimitPatchesOnlyTheRateLimit() throws Exception {
    answer(200, CONTOSO.replace("\"requestsPerSecond\":20", "\"requestsPerSecond\":5"));

    int code =
        phubctl("tenants", "rate-limit", "contoso", "--requests-per-second", "5", "--burst", "10");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("PATCH");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso");
    assertThat(sent.json())
        .isEqualTo(JSON.readTree("{\"rateLimit\":{\"requestsPerSecond\":5,\"burst\":10}}"));
    assertThat(out.toString()).startsWith("rate limit set: contoso").contains("rate 5/s");
  }

  @Test
  void rateLimitWithoutItsOptionsIsAUsageErrorAndSendsNothing() {
    int code = phubctl("tenants", "rate-limit", "contoso", "--burst", "10");

    assertThat(code).isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("--requests-per-second");
    assertThat(requests).isEmpty();
  }

  @Test
  void deleteNeedsYes() {
    assertThat(phubctl("tenants", "delete", "contoso")).isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("--yes");
    assertThat(requests).as("nothing sent without --yes").isEmpty();

    answer(202, CONTOSO.replace("ACTIVE", "DELETING"));
    assertThat(phubctl("tenants", "delete", "contoso", "--yes")).as(err.toString()).isZero();
    assertThat(onlyRequest().method()).isEqualTo("DELETE");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/contoso");
    assertThat(out.toString()).contains("DELETING");
  }

  // ---------------------------------------------------------------- setup links

  private static final String SETUP_LINK =
      """
      {"id":"6f1485dc-ff74-4c97-b8f0-9df645cc82a5","tenantId":"contoso",
       "url":"http://127.0.0.1:8085/console/setup/phub_setup_0nce-only",
       "expiresAt":"2026-01-06T10:00:00Z","createdAt":"2026-01-05T10:00:00Z",
       "createdBy":"operator@vendor.example"}""";

  @Test
  void setupLinkPrintsTheUrlOnceWithItsExpiry() throws Exception {
    answer(201, SETUP_LINK);

    int code = phubctl("tenants", "setup-link", "contoso", "--valid-for-minutes", "60");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso/setup-links");
    assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
    assertThat(sent.json()).isEqualTo(JSON.readTree("{\"validForMinutes\":60}"));
    assertThat(occurrences(out.toString(), "phub_setup_0nce-only")).isEqualTo(1);
    assertThat(out.toString())
        .contains("url: http://127.0.0.1:8085/console/setup/phub_setup_0nce-only")
        .contains("expires 2026-01-06T10:00:00Z")
        .contains("shown this once");
    assertThat(err.toString()).doesNotContain("phub_setup_");
  }

  @Test
  void setupLinkAsJsonIsTheRegistrysAnswerAndLeavesTheValidityToIt() throws Exception {
    answer(201, SETUP_LINK);

    assertThat(phubctl("--output", "json", "tenants", "setup-link", "contoso")).isZero();

    assertThat(onlyRequest().json()).isEqualTo(JSON.readTree("{\"validForMinutes\":null}"));
    assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree(SETUP_LINK));
  }

  @Test
  void setupLinkForASuspendedTenantExitsOneWithTheRegistrysMessage() {
    answer(
        409,
        "{\"status\":409,\"title\":\"Conflict\",\"detail\":\"tenant 'contoso' is suspended: a"
            + " setup link is only created for an active tenant\"}");

    assertThat(phubctl("tenants", "setup-link", "contoso")).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("HTTP 409").contains("is suspended");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void setupLinksListsEveryLinkWithItsStatus() {
    answer(
        200,
        """
        [{"id":"l-2","tenantId":"contoso","status":"active","createdAt":"2026-01-05T10:00:00Z",
          "createdBy":"operator@vendor.example","expiresAt":"2026-01-06T10:00:00Z",
          "redeemedAt":null,"revokedAt":null},
         {"id":"l-1","tenantId":"contoso","status":"redeemed","createdAt":"2026-01-04T10:00:00Z",
          "createdBy":"operator@vendor.example","expiresAt":"2026-01-05T10:00:00Z",
          "redeemedAt":"2026-01-04T11:00:00Z","revokedAt":null}]""");

    assertThat(phubctl("tenants", "setup-links", "contoso")).as(err.toString()).isZero();

    assertThat(onlyRequest().method()).isEqualTo("GET");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/contoso/setup-links");
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .startsWith("l-2")
        .contains("active", "by operator@vendor.example", "expires 2026-01-06T10:00:00Z")
        .doesNotContain("redeemed");
    assertThat(lines.get(1)).startsWith("l-1").contains("redeemed 2026-01-04T11:00:00Z");
    assertThat(lines.get(2)).isEqualTo("2 setup link(s)");
  }

  @Test
  void revokeSetupLinkPostsToTheLink() {
    answer(
        200,
        """
        {"id":"l-2","tenantId":"contoso","status":"revoked","createdAt":"2026-01-05T10:00:00Z",
         "createdBy":"operator@vendor.example","expiresAt":"2026-01-06T10:00:00Z",
         "redeemedAt":null,"revokedAt":"2026-01-05T12:00:00Z"}""");

    assertThat(phubctl("tenants", "revoke-setup-link", "contoso", "l-2"))
        .as(err.toString())
        .isZero();

    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso/setup-links/l-2/revoke");
    assertThat(sent.body()).isEmpty();
    assertThat(out.toString()).startsWith("revoked l-2").contains("revoked 2026-01-05T12:00:00Z");
  }

  @Test
  void revokingARedeemedSetupLinkSaysSo() {
    answer(
        200,
        """
        {"id":"l-1","tenantId":"contoso","status":"redeemed","createdAt":"2026-01-04T10:00:00Z",
         "createdBy":"operator@vendor.example","expiresAt":"2026-01-05T10:00:00Z",
         "redeemedAt":"2026-01-04T11:00:00Z","revokedAt":null}""");

    assertThat(phubctl("tenants", "revoke-setup-link", "contoso", "l-1")).isZero();

    assertThat(out.toString()).startsWith("not revoked, already redeemed: l-1");
  }

  @Test
  void revokeSetupLinkOfAnUnknownLinkExitsOne() {
    answer(
        404,
        "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"tenant 'contoso' has no setup link"
            + " 'nope'\"}");

    assertThat(phubctl("tenants", "revoke-setup-link", "contoso", "nope"))
        .isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("HTTP 404").contains("has no setup link 'nope'");
  }

  @Test
  void setupLinkWithAValidityThatIsNotANumberIsAUsageError() {
    assertThat(phubctl("tenants", "setup-link", "contoso", "--valid-for-minutes", "a day"))
        .isEqualTo(Phubctl.USAGE);
    assertThat(requests).isEmpty();
  }

  // ---------------------------------------------------------------- credentials

  @Test
  void issuePrintsTheSecretOnceToStandardOutputOnly() throws Exception {
    answer(201, ISSUED);

    int code = phubctl("credentials", "issue", "contoso", "--expires-in-days", "90");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso/credentials");
    assertThat(sent.authorization()).isEqualTo("Bearer " + ADMIN_TOKEN);
    assertThat(sent.json()).isEqualTo(JSON.readTree("{\"expiresInDays\":90}"));
    assertThat(occurrences(out.toString(), "phub_s3cr3t-shown-once")).isEqualTo(1);
    assertThat(err.toString()).doesNotContain("phub_s3cr3t");
    assertThat(out.toString()).contains("shown this once");
  }

  @Test
  void issueAsJsonIsTheRegistrysAnswer() throws Exception {
    answer(201, ISSUED);

    assertThat(phubctl("--output", "json", "credentials", "issue", "contoso")).isZero();

    assertThat(onlyRequest().json()).isEqualTo(JSON.readTree("{\"expiresInDays\":null}"));
    assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree(ISSUED));
    assertThat(occurrences(out.toString(), "phub_s3cr3t-shown-once")).isEqualTo(1);
  }

  @Test
  void listShowsMetadataOfEveryCredential() {
    answer(
        200,
        """
        [{"id":"c-1","status":"ACTIVE","createdAt":"2026-01-05T10:00:00Z","expiresAt":null,
          "revokedAt":null,"lastUsedAt":"2026-01-06T08:00:00Z"},
         {"id":"c-0","status":"REVOKED","createdAt":"2026-01-01T10:00:00Z","expiresAt":null,
          "revokedAt":"2026-01-05T10:00:00Z","lastUsedAt":null}]""");

    assertThat(phubctl("credentials", "list", "contoso")).as(err.toString()).isZero();

    assertThat(onlyRequest().method()).isEqualTo("GET");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/contoso/credentials");
    assertThat(out.toString())
        .contains("c-1", "ACTIVE", "expires never")
        .contains("c-0", "REVOKED", "revoked 2026-01-05T10:00:00Z")
        .contains("2 credential(s)");
  }

  @Test
  void rotateSendsTheOverlapInSeconds() throws Exception {
    answer(201, ISSUED);

    int code = phubctl("credentials", "rotate", "contoso", "c-1", "--old-valid-for", "24h");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.uri()).isEqualTo("/admin/v1/tenants/contoso/credentials/c-1/rotate");
    assertThat(sent.json())
        .isEqualTo(JSON.readTree("{\"expiresInDays\":null,\"oldValidForSeconds\":86400}"));
    assertThat(occurrences(out.toString(), "phub_s3cr3t-shown-once")).isEqualTo(1);
  }

  @Test
  void rotateWithAnUnreadableOverlapIsAUsageError() {
    assertThat(phubctl("credentials", "rotate", "contoso", "c-1", "--old-valid-for", "a while"))
        .isEqualTo(Phubctl.USAGE);
    assertThat(requests).isEmpty();
  }

  @Test
  void revokePostsToTheCredential() {
    answer(
        200,
        """
        {"id":"c-1","status":"REVOKED","createdAt":"2026-01-05T10:00:00Z","expiresAt":null,
         "revokedAt":"2026-01-07T10:00:00Z","lastUsedAt":null}""");

    assertThat(phubctl("credentials", "revoke", "contoso", "c-1")).as(err.toString()).isZero();

    assertThat(onlyRequest().method()).isEqualTo("POST");
    assertThat(onlyRequest().uri()).isEqualTo("/admin/v1/tenants/contoso/credentials/c-1/revoke");
    assertThat(out.toString()).startsWith("revoked c-1").contains("REVOKED");
  }

  // ---------------------------------------------------------------- audit

  @Test
  void operationsSendsTheFiltersWithTheSupportToken() {
    answer(
        200,
        """
        {"items":[{"commandId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","tenantId":"contoso",
          "receivedAt":"2026-01-06T08:00:00Z","operation":"create","resourceType":"User",
          "resourceId":null,"target":{"userName":"ada@contoso.com"},"status":"failure",
          "httpStatus":409,"scimType":"uniqueness","reason":"userName already exists"}],
         "nextCursor":"abc123"}""");

    int code =
        phubctl(
            "audit",
            "operations",
            "contoso",
            "--status",
            "failure",
            "--resource-type",
            "User",
            "--from",
            "2026-01-06T00:00:00Z",
            "--limit",
            "1");

    assertThat(code).as(err.toString()).isZero();
    Request sent = onlyRequest();
    assertThat(sent.method()).isEqualTo("GET");
    assertThat(sent.uri())
        .isEqualTo(
            "/audit/v1/tenants/contoso/operations"
                + "?status=failure&resourceType=User&from=2026-01-06T00%3A00%3A00Z&limit=1");
    assertThat(sent.authorization()).isEqualTo("Bearer " + SUPPORT_TOKEN);
    assertThat(out.toString())
        .contains("ada@contoso.com", "409", "userName already exists")
        .contains("1 operation(s); more with --cursor abc123");
  }

  @Test
  void summaryAsJsonIsTheAuditLogsAnswer() throws Exception {
    String summary =
        """
        {"tenantId":"contoso","from":"2026-01-05T00:00:00Z","to":"2026-01-06T00:00:00Z",
         "total":10,"byStatus":{"success":9,"failure":1},"byOperation":{"create":10},
         "topFailureReasons":[],"failureRate":0.1,"quarantineThreshold":0.5,"headroom":0.4,
         "quarantineRisk":false}""";
    answer(200, summary);

    int code = phubctl("--output", "json", "audit", "summary", "contoso", "--to", "2026-01-06");

    assertThat(code).as(err.toString()).isZero();
    assertThat(onlyRequest().uri()).isEqualTo("/audit/v1/tenants/contoso/summary?to=2026-01-06");
    assertThat(JSON.readTree(out.toString())).isEqualTo(JSON.readTree(summary));
  }

  @Test
  void aForbiddenQueryExitsOne() {
    answer(403, "{\"status\":403,\"error\":\"forbidden\",\"detail\":\"not your tenant\"}");

    assertThat(phubctl("audit", "summary", "contoso")).isEqualTo(Phubctl.REFUSED);
    assertThat(err.toString()).contains("HTTP 403").contains("not your tenant");
  }

  // ---------------------------------------------------------------- failures and settings

  @Test
  void aServerErrorExitsThree() {
    answer(
        500, "{\"status\":500,\"title\":\"Internal Server Error\",\"detail\":\"internal error\"}");

    assertThat(phubctl("tenants", "list")).isEqualTo(Phubctl.UNAVAILABLE);
    assertThat(err.toString()).contains("HTTP 500");
  }

  @Test
  void anUnreachableServiceExitsThree() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    env.put("PHUB_ADMIN_URL", "http://127.0.0.1:" + closed + "/admin/v1");

    assertThat(phubctl("tenants", "list")).isEqualTo(Phubctl.UNAVAILABLE);
    assertThat(err.toString())
        .contains("127.0.0.1:" + closed)
        .contains("ConnectException")
        .doesNotContain("null");
  }

  @Test
  void withoutATokenNothingIsSent() {
    env.remove("PHUB_ADMIN_TOKEN");

    assertThat(phubctl("tenants", "list")).isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("PHUB_ADMIN_TOKEN").contains("--admin-token-file");
    assertThat(requests).isEmpty();
  }

  @Test
  void aTokenIsNeverAnArgument() {
    assertThat(phubctl("--token", ADMIN_TOKEN, "tenants", "list")).isEqualTo(Phubctl.USAGE);
    assertThat(requests).isEmpty();
  }

  @Test
  void theTokenFileWinsOverTheEnvironment(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("admin.token");
    Files.writeString(file, "from-the-file\n");
    answer(200, "[]");

    assertThat(phubctl("--admin-token-file", file.toString(), "tenants", "list")).isZero();

    assertThat(onlyRequest().authorization()).isEqualTo("Bearer from-the-file");
    assertThat(out.toString()).contains("0 tenant(s)");
  }

  @Test
  void theLocalStacksVariablesAreFallbacks() {
    String adminBase = env.remove("PHUB_ADMIN_URL");
    String auditBase = env.remove("PHUB_AUDIT_URL");
    env.remove("PHUB_ADMIN_TOKEN");
    env.remove("PHUB_SUPPORT_TOKEN");
    // What deploy/local/stack.sh prints into credentials.env.
    env.put("ADMIN_BASE_URL", adminBase);
    env.put("ADMIN_TOKEN", "stack-admin");
    env.put("AUDIT_BASE_URL", auditBase);
    env.put("SUPPORT_TOKEN", "stack-support");
    answer(200, "[]");
    answer(200, "{\"items\":[],\"nextCursor\":null}");

    assertThat(phubctl("tenants", "list")).as(err.toString()).isZero();
    assertThat(phubctl("audit", "operations", "contoso")).as(err.toString()).isZero();

    assertThat(requests)
        .extracting(Request::uri, Request::authorization)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/admin/v1/tenants", "Bearer stack-admin"),
            org.assertj.core.groups.Tuple.tuple(
                "/audit/v1/tenants/contoso/operations", "Bearer stack-support"));
  }

  @Test
  void aServiceRootUrlGetsTheApiPath() {
    String root = "http://127.0.0.1:" + server.getAddress().getPort();
    env.remove("PHUB_ADMIN_URL");
    env.put("PHUB_REGISTRY_URL", root);
    answer(200, "[]");
    answer(200, "[]");

    assertThat(phubctl("tenants", "list")).as(err.toString()).isZero();
    assertThat(phubctl("--registry-url", root + "/", "tenants", "list"))
        .as(err.toString())
        .isZero();

    assertThat(requests).extracting(Request::uri).containsOnly("/admin/v1/tenants");
  }

  @Test
  void aUrlThatIsNotHttpIsAUsageError() {
    assertThat(phubctl("--admin-url", "127.0.0.1:8082", "tenants", "list"))
        .isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("not a URL: 127.0.0.1:8082");
    assertThat(phubctl("--admin-url", "localhost:8082/admin/v1", "tenants", "list"))
        .isEqualTo(Phubctl.USAGE);
    assertThat(err.toString()).contains("not an http(s) URL");
    assertThat(requests).isEmpty();
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] command :
        new String[][] {
          {"tenants", "create"},
          {"tenants", "create"},
          {"tenants", "list"},
          {"tenants", "get"},
          {"tenants", "delete"},
          {"tenants", "suspend"},
          {"tenants", "resume"},
          {"tenants", "rate-limit"},
          {"tenants", "setup-link"},
          {"tenants", "setup-links"},
          {"tenants", "revoke-setup-link"},
          {"credentials", "issue"},
          {"credentials", "list"},
          {"credentials", "rotate"},
          {"credentials", "revoke"},
          {"audit", "operations"},
          {"audit", "operation"},
          {"audit", "summary"},
          {"dead-letters", "list"},
          {"dead-letters", "show"},
          {"dead-letters", "redrive"},
          {"dead-letters", "dismiss"}
        }) {
      int code = phubctl(command[0], command[1], "--help");
      assertThat(code).as(String.join(" ", command)).isZero();
      assertThat(out.toString()).contains("Usage: phubctl " + command[0] + " " + command[1]);
    }
    assertThat(requests).isEmpty();
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}

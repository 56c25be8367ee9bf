package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SCIM passwords through the production jars, the real broker and the real database (ADR 0007):
 * never returned by any operation, never in plaintext on {@code scim.commands.v1}, in {@code
 * scim.users} or in {@code scim.processed_commands}; a tenant whose policy an admin set to {@code
 * hash} gets an Argon2id hash that verifies, a tenant left at {@code ignore} nothing.
 */
class PasswordsIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  static SystemUnderTest sut;
  static TopicProbe commands;

  @BeforeAll
  static void start() {
    sut = SystemUnderTest.get();
    assumeTrue(sut.ownsSystem(), "needs the database and the registry of a system it started");
    commands = TopicProbe.open(Infrastructure.shared().kafka().bootstrapServers(), Topics.COMMANDS);
  }

  @AfterAll
  static void close() {
    if (commands != null) {
      commands.close();
    }
  }

  @Test
  void ignoreTenantKeepsNothingAndNeverAnswersWithAPassword() throws Exception {
    Lifecycle run = lifecycle(sut.tenantA, "tenant-a-" + sut.suffix);

    assertThat(changePasswordSupported(sut.tenantA)).isFalse();
    assertThat(run.passwordHash()).isNull();
    assertThat(run.lastCommand().passwordSet()).isTrue();
    assertThat(run.lastCommand().passwordHash()).isNull();
  }

  @Test
  void hashTenantStoresAnArgon2idHashThatVerifies() throws Exception {
    String tenant = "pw-hash-" + sut.suffix;
    assertThat(sut.registry.createTenant(tenant).status()).isEqualTo(201);
    Registry.Reply set = sut.registry.patch("/tenants/" + tenant, "{\"passwordPolicy\":\"hash\"}");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    Scim scim = sut.tenantA.as(sut.issue(tenant));
    // The tenant's ServiceProviderConfig says a password change takes effect once its policy is
    // hash.
    await().atMost(WAIT).until(() -> changePasswordSupported(scim));

    Lifecycle run = lifecycle(scim, tenant);

    assertThat(run.passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(verify(run.passwordHash(), run.lastPassword())).isTrue();
    assertThat(verify(run.passwordHash(), run.passwords().get(0))).isFalse();
    assertThat(run.lastCommand().passwordHash()).isEqualTo(run.passwordHash());
  }

  private static boolean changePasswordSupported(Scim scim) {
    Scim.Reply config = scim.get("/ServiceProviderConfig");
    return config.status() == 200 && config.json().at("/changePassword/supported").booleanValue();
  }

  /** What a create, PUT and PATCH that each set a password left behind. */
  record Lifecycle(List<String> passwords, String passwordHash, ProvisioningCommand lastCommand) {
    String lastPassword() {
      return passwords.get(passwords.size() - 1);
    }
  }

  private static Lifecycle lifecycle(Scim scim, String tenant) throws Exception {
    String run = UUID.randomUUID().toString();
    List<String> passwords = List.of("Create-" + run, "Put-" + run, "Patch-" + run);
    String userName = "pw-" + run + "@example.com";
    String user =
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
            + userName
            + "\",\"active\":true,\"password\":\"%s\"}";

    Scim.Reply created = scim.post("/Users", user.formatted(passwords.get(0)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();
    Scim.Reply replaced = scim.put("/Users/" + id, user.formatted(passwords.get(1)));
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    Scim.Reply patched =
        scim.patch(
            "/Users/" + id,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                + "{\"op\":\"replace\",\"path\":\"password\",\"value\":\""
                + passwords.get(2)
                + "\"},{\"op\":\"replace\",\"path\":\"title\",\"value\":\"CTO\"}]}");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(patched.json().get("title").asText()).isEqualTo("CTO");
    List<Scim.Reply> reads =
        List.of(
            scim.get("/Users/" + id),
            scim.get("/Users/" + id + "?attributes=password"),
            scim.get("/Users/" + id + "?attributes=password,userName"),
            scim.filter("Users", "userName eq \"" + userName + "\"", "attributes=password"));
    for (Scim.Reply reply : concat(List.of(created, replaced, patched), reads)) {
      assertThat(reply.status()).as(reply.toString()).isBetween(200, 201);
      assertThat(reply.response().body())
          .as("answer to a write or read")
          .doesNotContainIgnoringCase("password")
          .doesNotContain(passwords.toArray(String[]::new));
    }

    // Every command of this user is on the topic by now: the processor applied them all.
    List<ConsumerRecord<String, byte[]>> published =
        commands.await(r -> r.key().equals(tenant + "/User/" + id), 3, WAIT);
    for (ConsumerRecord<String, byte[]> record : published) {
      assertThat(new String(record.value(), StandardCharsets.UTF_8))
          .doesNotContain(passwords.toArray(String[]::new));
    }
    ProvisioningCommand last = ContractJson.command(published.get(published.size() - 1).value());

    try (Connection c = Infrastructure.shared().postgres().connect()) {
      String resource =
          single(
              c,
              "select resource::text from scim.users where tenant_id = ? and id = ?",
              tenant,
              id);
      assertThat(resource).doesNotContainIgnoringCase("password").contains("CTO");
      String processed =
          single(
              c,
              "select string_agg(row_to_json(pc)::text, ' ') from scim.processed_commands pc"
                  + " where tenant_id = ? and resource_id = ?",
              tenant,
              id);
      assertThat(processed).contains(id).doesNotContain(passwords.toArray(String[]::new));
      assertThat(processed).doesNotContain("argon2");
      String hash =
          single(
              c, "select password_hash from scim.users where tenant_id = ? and id = ?", tenant, id);
      return new Lifecycle(passwords, hash, last);
    }
  }

  private static String single(Connection c, String sql, String tenant, String id)
      throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant);
      if (sql.contains("and id = ?")) {
        s.setObject(2, UUID.fromString(id));
      } else {
        s.setString(2, id);
      }
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /** Verifies a PHC Argon2id string as a vendor's sign-in would, with Bouncy Castle. */
  private static boolean verify(String phc, String password) {
    Matcher m = PHC.matcher(phc);
    assertThat(m.matches()).as("PHC string: " + phc).isTrue();
    byte[] expected = Base64.getDecoder().decode(m.group(5));
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(Integer.parseInt(m.group(1)))
            .withIterations(Integer.parseInt(m.group(2)))
            .withParallelism(Integer.parseInt(m.group(3)))
            .withSalt(Base64.getDecoder().decode(m.group(4)))
            .build());
    byte[] actual = new byte[expected.length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), actual);
    return MessageDigest.isEqual(expected, actual);
  }
}

package io.provisioninghub.processor.uniqueness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.ExtensionSchema;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.contracts.TenantExtensions;
import io.provisioninghub.contracts.Topics;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's own unique attributes are enforced by the processor in its transaction (ADR 0012), on
 * the real broker and database. The commands go straight to the commands topic, past the gateway's
 * early check, as two gateways racing would send them.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
class UniqueExtensionValuesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String HR = "urn:test:params:scim:schemas:extension:hr:2.0:User";
  private static final String TEAMS = "urn:test:params:scim:schemas:extension:teams:2.0:Group";

  private static final TenantExtensions EXTENSIONS =
      new TenantExtensions(
          List.of(
              new ExtensionSchema(
                  HR,
                  ResourceType.User,
                  "HR",
                  null,
                  List.of(
                      attribute("employeeNumber", "string", null, "server"),
                      attribute("badge", "string", true, "server"),
                      ExtensionSchema.Attribute.of("remote", "boolean"))),
              new ExtensionSchema(
                  TEAMS,
                  ResourceType.Group,
                  "Teams",
                  null,
                  List.of(attribute("costCenter", "string", null, "server")))),
          false);

  static TopicProbe outcomes;

  @BeforeAll
  static void openProbe() {
    outcomes = TopicProbe.open(bootstrap(), Topics.OUTCOMES);
  }

  @AfterAll
  static void closeProbe() {
    outcomes.close();
  }

  @Test
  void ofManyCreatesRacingForOneValueExactlyOneWins() {
    String tenant = tenant();
    List<ProvisioningCommand> creates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // The same value in different case: the attribute is not caseExact.
      creates.add(createUser(tenant, "racer" + i, i % 2 == 0 ? "E-100" : "e-100"));
    }
    creates.forEach(UniqueExtensionValuesTest::send);

    List<ProvisioningOutcome> answers = creates.stream().map(this::outcome).toList();
    assertThat(answers).filteredOn(o -> o.httpStatus() == 201).hasSize(1);
    assertThat(answers)
        .filteredOn(o -> o.httpStatus() == 409)
        .hasSize(7)
        .allSatisfy(
            o -> {
              assertThat(o.scimType()).isEqualTo("uniqueness");
              assertThat(o.detail()).contains(HR + ":employeeNumber");
            });
    assertThat(count("select count(*) from scim.users where tenant_id = ?", tenant)).isEqualTo(1);
  }

  @Test
  void aCaseExactValueDiffersByCase() {
    String tenant = tenant();
    ProvisioningCommand upper = createUser(tenant, "upper", null);
    ((ObjectNode) upper.payload().get(HR)).put("badge", "AB-1");
    ProvisioningCommand lower = createUser(tenant, "lower", null);
    ((ObjectNode) lower.payload().get(HR)).put("badge", "ab-1");
    ProvisioningCommand again = createUser(tenant, "again", null);
    ((ObjectNode) again.payload().get(HR)).put("badge", "AB-1");

    assertThat(apply(upper).httpStatus()).isEqualTo(201);
    assertThat(apply(lower).httpStatus()).isEqualTo(201);
    assertThat(apply(again).httpStatus()).isEqualTo(409);
  }

  @Test
  void aValueGivenUpOrDeletedCanBeTakenAndNotTakenBack() {
    String tenant = tenant();
    ProvisioningCommand first = createUser(tenant, "first", "E-1");
    assertThat(apply(first).httpStatus()).isEqualTo(201);
    assertThat(apply(createUser(tenant, "second", "E-1")).httpStatus()).isEqualTo(409);

    // first moves to E-2: E-1 is free for another, and first cannot take it back.
    assertThat(apply(patch(tenant, first.resourceId(), HR + ":employeeNumber", "E-2")).httpStatus())
        .isEqualTo(200);
    ProvisioningCommand second = createUser(tenant, "second", "E-1");
    assertThat(apply(second).httpStatus()).isEqualTo(201);
    ProvisioningOutcome back =
        apply(patch(tenant, first.resourceId(), HR + ":employeeNumber", "e-1"));
    assertThat(back.httpStatus()).isEqualTo(409);
    assertThat(back.scimType()).isEqualTo("uniqueness");

    // A full replace is checked the same way.
    ProvisioningCommand replace =
        command(
            tenant, ResourceType.User, first.resourceId(), Operation.REPLACE, user("first", "E-1"));
    assertThat(apply(replace).httpStatus()).isEqualTo(409);

    // Deleting the holder frees its values.
    assertThat(
            apply(command(tenant, ResourceType.User, second.resourceId(), Operation.DELETE, null))
                .httpStatus())
        .isEqualTo(204);
    assertThat(apply(createUser(tenant, "third", "E-1")).httpStatus()).isEqualTo(201);
    assertThat(count("select count(*) from scim.unique_values where tenant_id = ?", tenant))
        .isEqualTo(2); // first's E-2 and third's E-1
  }

  @Test
  void groupsClaimTheirOwnValuesApartFromUsers() {
    String tenant = tenant();
    assertThat(apply(createUser(tenant, "user", "CC-7")).httpStatus()).isEqualTo(201);
    assertThat(apply(createGroup(tenant, "Sales", "CC-7")).httpStatus()).isEqualTo(201);
    ProvisioningOutcome clash = apply(createGroup(tenant, "Support", "cc-7"));
    assertThat(clash.httpStatus()).isEqualTo(409);
    assertThat(clash.detail()).contains(TEAMS + ":costCenter");
  }

  /**
   * Data stored before the attribute was declared unique may hold duplicates: an unrelated change
   * to one of them goes through, a write that sets the value anew does not, and a claim left by a
   * resource that no longer holds the value refuses nobody.
   */
  @Test
  void valuesStoredBeforeTheDeclarationNeitherBlockUnrelatedChangesNorStaleClaims() {
    String tenant = tenant();
    ProvisioningCommand a = createUser(tenant, "a", "D-1").withExtensions(null);
    ProvisioningCommand b = createUser(tenant, "b", "D-1").withExtensions(null);
    assertThat(apply(a).httpStatus()).isEqualTo(201);
    assertThat(apply(b).httpStatus()).isEqualTo(201);

    assertThat(apply(patch(tenant, b.resourceId(), "displayName", "Bee")).httpStatus())
        .isEqualTo(200);
    assertThat(apply(patch(tenant, a.resourceId(), "displayName", "Ay")).httpStatus())
        .isEqualTo(200);
    assertThat(apply(createUser(tenant, "c", "D-1")).httpStatus()).isEqualTo(409);

    // b gives D-1 up while the attribute is not declared unique: its claim stays behind, stale.
    ProvisioningCommand undeclared =
        patch(tenant, b.resourceId(), HR + ":employeeNumber", "D-2").withExtensions(null);
    assertThat(apply(undeclared).httpStatus()).isEqualTo(200);
    // a gives it up too (declared): nobody holds D-1 now, whatever rows say.
    assertThat(apply(patch(tenant, a.resourceId(), HR + ":employeeNumber", "D-3")).httpStatus())
        .isEqualTo(200);
    assertThat(apply(createUser(tenant, "d", "d-1")).httpStatus()).isEqualTo(201);
  }

  /** The processor applies a PATCH with the schemas the gateway checked it against. */
  @Test
  void aPatchIsAppliedWithTheTenantsSpellingAndTypes() throws Exception {
    String tenant = tenant();
    ProvisioningCommand create = createUser(tenant, "speller", "S-1");
    assertThat(apply(create).httpStatus()).isEqualTo(201);

    ObjectNode body = ContractJson.mapper().createObjectNode();
    body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
    var ops = body.putArray("Operations");
    ops.addObject().put("op", "Replace").put("path", HR + ":EMPLOYEENUMBER").put("value", "S-2");
    ops.addObject().put("op", "Add").put("path", HR + ":remote").put("value", "True");
    assertThat(
            apply(command(tenant, ResourceType.User, create.resourceId(), Operation.PATCH, body))
                .httpStatus())
        .isEqualTo(200);

    JsonNode stored =
        ContractJson.mapper()
            .readTree(
                text(
                    "select resource::text from scim.users where tenant_id = ? and id = ?::uuid",
                    tenant,
                    create.resourceId()));
    assertThat(stored.path(HR).path("employeeNumber").asText()).isEqualTo("S-2");
    assertThat(stored.path(HR).has("EMPLOYEENUMBER")).isFalse();
    assertThat(stored.path(HR).path("remote").isBoolean()).isTrue();
    assertThat(stored.path(HR).path("remote").booleanValue()).isTrue();
    // and S-1 is free again, S-2 taken
    assertThat(apply(createUser(tenant, "next", "S-1")).httpStatus()).isEqualTo(201);
    assertThat(apply(createUser(tenant, "other", "S-2")).httpStatus()).isEqualTo(409);
  }

  private static ExtensionSchema.Attribute attribute(
      String name, String type, Boolean caseExact, String uniqueness) {
    return new ExtensionSchema.Attribute(
        name, type, null, null, null, caseExact, null, uniqueness, null);
  }

  private static String tenant() {
    return "unique-" + UUID.randomUUID();
  }

  private static ObjectNode user(String userName, String employeeNumber) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User").add(HR);
    payload.put("userName", userName + "@example.com");
    ObjectNode hr = payload.putObject(HR);
    if (employeeNumber != null) {
      hr.put("employeeNumber", employeeNumber);
    }
    return payload;
  }

  private static ProvisioningCommand createUser(
      String tenant, String userName, String employeeNumber) {
    return command(
        tenant,
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.CREATE,
        user(userName, employeeNumber));
  }

  private static ProvisioningCommand createGroup(String tenant, String name, String costCenter) {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group").add(TEAMS);
    payload.put("displayName", name);
    payload.putObject(TEAMS).put("costCenter", costCenter);
    return command(
        tenant, ResourceType.Group, UUID.randomUUID().toString(), Operation.CREATE, payload);
  }

  private static ProvisioningCommand patch(String tenant, String id, String path, String value) {
    ObjectNode body = ContractJson.mapper().createObjectNode();
    body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
    body.putArray("Operations")
        .addObject()
        .put("op", "replace")
        .put("path", path)
        .put("value", value);
    return command(tenant, ResourceType.User, id, Operation.PATCH, body);
  }

  private static ProvisioningCommand command(
      String tenant, ResourceType type, String id, Operation operation, ObjectNode payload) {
    return new ProvisioningCommand(
            UUID.randomUUID(),
            tenant,
            type,
            id,
            operation,
            payload,
            Instant.now(),
            null,
            "test",
            null)
        .withExtensions(EXTENSIONS);
  }

  private ProvisioningOutcome apply(ProvisioningCommand command) {
    send(command);
    return outcome(command);
  }

  private static void send(ProvisioningCommand command) {
    TopicProbe.send(
        bootstrap(),
        Topics.COMMANDS,
        command.kafkaKey(),
        ContractJson.toBytes(command),
        new RecordHeaders());
  }

  private ProvisioningOutcome outcome(ProvisioningCommand command) {
    return ContractJson.outcome(
        outcomes
            .awaitOne(
                r -> ContractJson.outcome(r.value()).commandId().equals(command.commandId()), WAIT)
            .value());
  }

  private static long count(String sql, String tenant) {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(String sql, String tenant, String id) throws Exception {
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, tenant);
      s.setString(2, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String bootstrap() {
    return Infrastructure.shared().kafka().bootstrapServers();
  }
}

package io.provisioninghub.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.contracts.Operation;
import org.junit.jupiter.api.Test;

class CommandFactsTest {

  private static JsonNode patch(String operations) {
    return AuditFixtures.json(
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
            + operations
            + "]}");
  }

  @Test
  void entraDisableWithStringBooleanIsADisable() {
    JsonNode body = patch("{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}");
    assertThat(CommandFacts.operation(Operation.PATCH, body)).isEqualTo(AuditOperation.DISABLE);
  }

  @Test
  void activeInsideAPathlessValueIsAnEnable() {
    JsonNode body =
        patch("{\"op\":\"replace\",\"value\":{\"active\":true,\"displayName\":\"Al\"}}");
    assertThat(CommandFacts.operation(Operation.PATCH, body)).isEqualTo(AuditOperation.ENABLE);
    assertThat(CommandFacts.changedAttributes(Operation.PATCH, body))
        .containsExactly("active", "displayName");
  }

  @Test
  void memberOnlyPatchesAreMembershipChanges() {
    assertThat(
            CommandFacts.operation(
                Operation.PATCH,
                patch("{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]}")))
        .isEqualTo(AuditOperation.MEMBERSHIP_ADD);
    JsonNode remove = patch("{\"op\":\"Remove\",\"path\":\"members[value eq \\\"u1\\\"]\"}");
    assertThat(CommandFacts.operation(Operation.PATCH, remove))
        .isEqualTo(AuditOperation.MEMBERSHIP_REMOVE);
    assertThat(CommandFacts.changedAttributes(Operation.PATCH, remove)).containsExactly("members");
    JsonNode mixed =
        patch(
            "{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"u1\"}]},"
                + "{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"G\"}");
    assertThat(CommandFacts.operation(Operation.PATCH, mixed)).isEqualTo(AuditOperation.PATCH);
  }

  @Test
  void plainPatchListsPathsWithoutFiltersOrCoreUrn() {
    JsonNode body =
        patch(
            "{\"op\":\"replace\",\"path\":\"emails[type eq \\\"work\\\"].value\",\"value\":\"x\"},"
                + "{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:title\",\"value\":\"t\"}");
    assertThat(CommandFacts.operation(Operation.PATCH, body)).isEqualTo(AuditOperation.PATCH);
    assertThat(CommandFacts.changedAttributes(Operation.PATCH, body))
        .containsExactly("emails.value", "title");
  }

  @Test
  void putWithActiveFalseIsADisableOtherwiseAReplace() {
    JsonNode off = AuditFixtures.json("{\"userName\":\"a\",\"active\":false}");
    JsonNode on = AuditFixtures.json("{\"userName\":\"a\",\"active\":true}");
    assertThat(CommandFacts.operation(Operation.REPLACE, off)).isEqualTo(AuditOperation.DISABLE);
    assertThat(CommandFacts.operation(Operation.REPLACE, on)).isEqualTo(AuditOperation.REPLACE);
    assertThat(CommandFacts.operation(Operation.DELETE, null)).isEqualTo(AuditOperation.DELETE);
    assertThat(CommandFacts.changedAttributes(Operation.DELETE, null)).isEmpty();
  }

  @Test
  void createListsBodyKeysAndExtensionAttributes() {
    JsonNode body =
        AuditFixtures.json(
            "{\"schemas\":[],\"userName\":\"a\",\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"S\"}}");
    assertThat(CommandFacts.changedAttributes(Operation.CREATE, body))
        .containsExactly(
            "userName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
  }

  @Test
  void aTenThousandDeepBodyIsReadWithoutStackOverflow() {
    com.fasterxml.jackson.databind.node.ObjectNode body =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    body.put("userName", "deep@contoso.com");
    com.fasterxml.jackson.databind.node.ObjectNode level = body;
    for (int i = 0; i < 10_000; i++) {
      level = level.putObject("a");
    }
    com.fasterxml.jackson.databind.node.ObjectNode patch =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    patch.putArray("Operations").addObject().put("op", "add").set("value", body);

    assertThat(CommandFacts.changedAttributes(Operation.CREATE, body))
        .containsExactly("userName", "a");
    assertThat(CommandFacts.changedAttributes(Operation.PATCH, patch))
        .containsExactly("userName", "a");
    assertThat(CommandFacts.operation(Operation.PATCH, patch)).isEqualTo(AuditOperation.PATCH);
    assertThat(CommandFacts.Target.of(body).userName()).isEqualTo("deep@contoso.com");
  }

  @Test
  void aPasswordTheGatewayTookOutIsStillListedAsChanged() {
    io.provisioninghub.contracts.ProvisioningCommand command =
        new io.provisioninghub.contracts.ProvisioningCommand(
            java.util.UUID.randomUUID(),
            "t",
            io.provisioninghub.contracts.ResourceType.User,
            java.util.UUID.randomUUID().toString(),
            Operation.PATCH,
            patch("{\"op\":\"replace\",\"path\":\"title\",\"value\":\"CTO\"}"),
            java.time.Instant.now(),
            null,
            "scim",
            null,
            true,
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");

    assertThat(CommandFacts.of(command).changedAttributes()).containsExactly("title", "password");
  }
}

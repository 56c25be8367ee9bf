package io.provisioninghub.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.provisioninghub.contracts.ContractJson;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every event type has a published schema, and what the contracts write validates against it. */
class EventSchemasTest {

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  static JsonNode changes(String json) throws Exception {
    return ContractJson.mapper().readTree(json);
  }

  static List<ProvisioningEvent> oneOfEach() throws Exception {
    List<String> names = List.of("userName", "emails", "password");
    return List.of(
        new UserCreated(
            "t",
            "u",
            1,
            names,
            "a@b.c",
            null,
            true,
            true,
            changes("{\"userName\":\"a@b.c\",\"emails\":[{\"value\":\"a@b.c\"}]}")),
        new UserUpdated(
            "t", "u", 2, List.of("title"), "a@b.c", "x", null, changes("{\"title\":null}")),
        new UserDeactivated(
            "t", "u", 3, List.of("active"), "a@b.c", "x", changes("{\"active\":false}")),
        new UserReactivated(
            "t", "u", 4, List.of("active"), "a@b.c", "x", changes("{\"active\":true}")),
        new UserDeleted("t", "u", 0, List.of(), "a@b.c", "x"),
        new GroupCreated(
            "t",
            "g",
            1,
            List.of("displayName"),
            "Sales",
            null,
            changes("{\"displayName\":\"Sales\"}")),
        new GroupUpdated(
            "t",
            "g",
            2,
            List.of("displayName"),
            "EMEA",
            "g-1",
            changes("{\"displayName\":\"EMEA\"}")),
        new GroupDeleted("t", "g", 0, List.of(), "EMEA", "g-1"),
        new MembershipAdded("t", "g", 3, List.of("members"), List.of("u")),
        new MembershipRemoved("t", "g", 4, List.of("members"), List.of("u")));
  }

  @Test
  void everyEventTypeHasASchemaAndEverySchemaAType() throws Exception {
    List<String> written = oneOfEach().stream().map(ProvisioningEvent::type).toList();
    assertThat(written)
        .hasSameSizeAs(Arrays.asList(ProvisioningEvent.class.getPermittedSubclasses()));
    assertThat(EventSchemas.types()).containsExactlyInAnyOrderElementsOf(written);
    for (String type : EventSchemas.types()) {
      JsonNode schema = ContractJson.mapper().readTree(EventSchemas.of(type));
      assertThat(schema.get("$id").asText()).endsWith(":" + type);
      assertThat(schema.get("title").asText()).isEqualTo(type);
    }
  }

  @Test
  void whatTheContractsWriteValidates() throws Exception {
    for (ProvisioningEvent event : oneOfEach()) {
      assertThat(
              problems(event.type(), ContractJson.mapper().readTree(ContractJson.toBytes(event))))
          .as(event.type())
          .isEmpty();
    }
  }

  @Test
  void aPasswordInChangesOrAMissingOrWrongFieldIsInvalid() throws Exception {
    ProvisioningEvent updated = oneOfEach().get(1);
    ObjectNode withPassword = tree(updated);
    ((ObjectNode) withPassword.get("changes")).put("Password", "secret");
    assertThat(problems(updated.type(), withPassword)).isNotEmpty();

    ObjectNode withoutVersion = tree(updated);
    withoutVersion.remove("version");
    assertThat(problems(updated.type(), withoutVersion)).isNotEmpty();

    ObjectNode wrongEvent = tree(updated);
    wrongEvent.put("event", "UserDeleted");
    assertThat(problems(updated.type(), wrongEvent)).isNotEmpty();
  }

  @Test
  void fieldsAddedLaterDoNotInvalidateAnEvent() throws Exception {
    ProvisioningEvent created = oneOfEach().get(0);
    ObjectNode data = tree(created);
    data.put("someFutureField", 1);
    assertThat(problems(created.type(), data)).isEmpty();
  }

  private static ObjectNode tree(ProvisioningEvent event) throws Exception {
    return (ObjectNode) ContractJson.mapper().readTree(ContractJson.toBytes(event));
  }

  /** What the published schema of {@code type} finds wrong with {@code data}. */
  static Set<ValidationMessage> problems(String type, JsonNode data) {
    JsonSchema schema = FACTORY.getSchema(EventSchemas.of(type));
    return schema.validate(data);
  }
}

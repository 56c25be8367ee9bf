package io.provisioninghub.processor.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The processor's walks over client JSON cost no stack, whatever the depth; changed attributes are
 * named the same way for every extension.
 */
class DocumentsTest {

  @Test
  void aTenThousandDeepBodyIsRefusedWithoutStackOverflow() {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.put("userName", "deep");
    ObjectNode level = payload.putObject("urn:example:deep");
    for (int i = 0; i < 10_000; i++) {
      level = i % 2 == 0 ? level.putObject("o") : level.putArray("a").addObject();
    }

    assertThat(Documents.depth(payload, Integer.MAX_VALUE)).isGreaterThan(10_000);
    assertThatThrownBy(() -> Documents.requirePayload(create(payload)))
        .isInstanceOf(BadRequestException.class)
        .satisfies(
            e -> assertThat(((BadRequestException) e).scimType()).isEqualTo(ScimType.invalidValue))
        .hasMessageContaining("deeper than " + Documents.MAX_DEPTH);
  }

  @Test
  void depthCountsObjectsAndArraysAndStopsPastTheLimit() {
    ObjectNode doc = ContractJson.mapper().createObjectNode();
    assertThat(Documents.depth(doc, 10)).isEqualTo(1);
    ArrayNode emails = doc.putArray("emails");
    emails.addObject().put("value", "a@b.c");
    assertThat(Documents.depth(doc, 10)).isEqualTo(3);
    assertThat(Documents.depth(ContractJson.mapper().getNodeFactory().textNode("x"), 10)).isZero();

    ObjectNode deep = ContractJson.mapper().createObjectNode();
    ObjectNode level = deep;
    for (int i = 0; i < 100; i++) {
      level = level.putObject("x");
    }
    assertThat(Documents.depth(deep, 5)).isEqualTo(6);
  }

  @Test
  void aRealisticBodyPasses() {
    ObjectNode payload = ContractJson.mapper().createObjectNode();
    payload.put("userName", "alice@contoso.com");
    payload
        .putObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
        .putObject("manager")
        .put("value", "x");
    payload.putArray("emails").addObject().put("value", "alice@contoso.com");

    assertThat(Documents.requirePayload(create(payload))).isSameAs(payload);
  }

  private static ProvisioningCommand create(ObjectNode payload) {
    return new ProvisioningCommand(
        UUID.randomUUID(),
        "tenant-a",
        ResourceType.User,
        UUID.randomUUID().toString(),
        Operation.CREATE,
        payload,
        Instant.now(),
        null,
        "test");
  }

  @Test
  void aTenantsOwnExtensionAttributeIsNamedInChangedAttributesLikeAnEnterpriseOne()
      throws Exception {
    String hr = "urn:ietf:params:scim:schemas:extension:ContosoHr:2.0:User";
    String enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    var mapper = ContractJson.mapper();
    var before =
        mapper.readTree(
            "{\"userName\":\"a\",\""
                + hr
                + "\":{\"employeeCode\":\"E1\",\"clearance\":2},\""
                + enterprise
                + "\":{\"department\":\"Sales\"}}");
    var after =
        mapper.readTree(
            "{\"userName\":\"a\",\""
                + hr
                + "\":{\"employeeCode\":\"E2\",\"clearance\":2},\""
                + enterprise
                + "\":{\"department\":\"Ops\"}}");

    assertThat(Documents.changedAttributes(before, after))
        .containsExactlyInAnyOrder(hr + ":employeeCode", enterprise + ":department");
  }
}

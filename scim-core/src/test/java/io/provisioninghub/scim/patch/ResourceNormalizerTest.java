package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.json;
import static io.provisioninghub.scim.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import org.junit.jupiter.api.Test;

class ResourceNormalizerTest {

  @Test
  void entraCreateUserKeepsExtensionsAndDropsNullsAndEmptyRoles() {
    ObjectNode d =
        ResourceNormalizer.forCreate(ResourceKind.USER, load("entra/create-user.json")).document();
    assertThat(d.has("meta")).isFalse();
    assertThat(d.has("roles")).isFalse();
    assertThat(d.get("userName").asText()).isEqualTo("Lena.Marsh@contoso.onmicrosoft.com");
    assertThat(d.get(ScimSchemas.ENTERPRISE_USER))
        .isEqualTo(
            json(
                "{'employeeNumber':'701984','department':'Tour Operations',"
                    + "'manager':{'value':'26118915-6090-4610-87e4-49d8ca9f808d'}}"));
    assertThat(d.get("urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User"))
        .isEqualTo(json("{'badgeColour':'green'}"));
    assertThat(d.get("phoneNumbers").get(0).get("value").asText()).isEqualTo("+1 (425) 555-0142");
  }

  @Test
  void oktaPutDropsIdMetaGroupsAndNulls() {
    ObjectNode d =
        ResourceNormalizer.forReplace(ResourceKind.USER, load("okta/put-user.json")).document();
    assertThat(d.has("id")).isFalse();
    assertThat(d.has("meta")).isFalse();
    assertThat(d.has("groups")).isFalse();
    assertThat(d.get("name").has("middleName")).isFalse();
    assertThat(d.get("userName").asText()).isEqualTo("Dana.Whitfield@example.com");
    assertThat(d.get("schemas"))
        .extracting(JsonNode::asText)
        .containsExactly(ScimSchemas.CORE_USER);
  }

  @Test
  void coercesEntraBooleanStringsAndDeclaresTheEnterpriseSchema() {
    ObjectNode d =
        ResourceNormalizer.forCreate(
                ResourceKind.USER,
                json(
                    "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'a',"
                        + "'active':'True','emails':[{'value':'a@x','primary':'False'}],"
                        + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':{'department':'D'}}"))
            .document();
    assertThat(d.get("active").booleanValue()).isTrue();
    assertThat(d.at("/emails/0/primary").isBoolean()).isTrue();
    assertThat(d.get("schemas")).extracting(JsonNode::asText).contains(ScimSchemas.ENTERPRISE_USER);
  }

  @Test
  void rejectsBadBodies() {
    assertBad(TextNode.valueOf("x"), ScimType.invalidSyntax);
    assertBad(json("{'userName':'a'}"), ScimType.invalidSyntax);
    assertBad(
        json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],'userName':'a'}"),
        ScimType.invalidSyntax);
    assertBad(
        json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User']}"), ScimType.invalidValue);
    assertBad(
        json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'  '}"),
        ScimType.invalidValue);
    assertBad(
        json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':7}"),
        ScimType.invalidValue);
    assertBad(
        json(
            "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'a','active':'yes'}"),
        ScimType.invalidValue);
    assertBad(
        json(
            "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'a','emails':'a@x'}"),
        ScimType.invalidValue);
    assertBad(
        json(
            "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'a','urn:x:y:1.0:User':{'a':1}}"),
        ScimType.invalidSyntax);
    assertThatThrownBy(
            () ->
                ResourceNormalizer.forCreate(
                    ResourceKind.GROUP,
                    json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group']}")))
        .isInstanceOf(BadRequestException.class);
  }

  private static void assertBad(JsonNode body, ScimType type) {
    assertThatThrownBy(() -> ResourceNormalizer.forCreate(ResourceKind.USER, body))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.scimType()).isEqualTo(type));
  }
}

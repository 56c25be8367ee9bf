package io.provisioninghub.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.ResourceNotFoundException;
import io.provisioninghub.scim.schema.AttributeDefinition.Mutability;
import io.provisioninghub.scim.schema.AttributeDefinition.Returned;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScimSchemasTest {

  private static final String BASE = "https://scim.example.test/scim/v2/";

  @Test
  void findsCoreExtensionAndSubAttributesCaseInsensitively() {
    assertThat(ScimSchemas.find(ResourceKind.USER, "USERNAME").orElseThrow().name())
        .isEqualTo("userName");
    assertThat(
            ScimSchemas.find(
                ResourceKind.USER, "urn:ietf:params:scim:schemas:core:2.0:User:userName"))
        .map(AttributeDefinition::caseExact)
        .contains(false);
    assertThat(ScimSchemas.find(ResourceKind.USER, "name.givenname").orElseThrow().name())
        .isEqualTo("givenName");
    assertThat(ScimSchemas.find(ResourceKind.USER, "emails.value")).isPresent();
    AttributeDefinition department =
        ScimSchemas.find(
                ResourceKind.USER,
                "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:department")
            .orElseThrow();
    assertThat(department.schemaUrn()).isEqualTo(ScimSchemas.ENTERPRISE_USER);
    assertThat(
            ScimSchemas.find(
                    ResourceKind.USER,
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName")
                .orElseThrow()
                .mutability())
        .isEqualTo(Mutability.READ_ONLY);
    assertThat(ScimSchemas.find(ResourceKind.USER, "groups").orElseThrow().mutability())
        .isEqualTo(Mutability.READ_ONLY);
    assertThat(ScimSchemas.find(ResourceKind.USER, "password").orElseThrow().returned())
        .isEqualTo(Returned.NEVER);
    assertThat(ScimSchemas.find(ResourceKind.USER, "id").orElseThrow().returned())
        .isEqualTo(Returned.ALWAYS);
    assertThat(ScimSchemas.find(ResourceKind.GROUP, "members.$ref")).isPresent();
    assertThat(ScimSchemas.find(ResourceKind.USER, "department")).isEmpty();
    assertThat(ScimSchemas.find(ResourceKind.GROUP, "userName")).isEmpty();
    assertThat(ScimSchemas.find(ResourceKind.USER, "name.givenName.x")).isEmpty();
    assertThat(ScimSchemas.find(ResourceKind.USER, "urn:example:1.0:User:x")).isEmpty();
    assertThat(ScimSchemas.find(ResourceKind.USER, "")).isEmpty();
  }

  @Test
  void userSchemaCoversRfc7643Section41() {
    List<String> names =
        ScimSchemas.attributes(ScimSchemas.CORE_USER).stream()
            .map(AttributeDefinition::name)
            .toList();
    assertThat(names)
        .contains(
            "userName",
            "name",
            "displayName",
            "nickName",
            "profileUrl",
            "title",
            "userType",
            "preferredLanguage",
            "locale",
            "timezone",
            "active",
            "password",
            "emails",
            "phoneNumbers",
            "ims",
            "photos",
            "addresses",
            "groups",
            "entitlements",
            "roles",
            "x509Certificates");
    assertThat(ScimSchemas.find(ResourceKind.USER, "emails.type").orElseThrow().canonicalValues())
        .containsExactly("work", "home", "other");
  }

  @Test
  void discoveryDocumentsAreCompleteAndHoldNoNulls() {
    ObjectNode schemas = ScimSchemas.schemasListResponse(BASE);
    assertThat(schemas.get("totalResults").asInt()).isEqualTo(3);
    assertThat(schemas.get("Resources").get(0).get("meta").get("location").asText())
        .isEqualTo("https://scim.example.test/scim/v2/Schemas/" + ScimSchemas.CORE_USER);
    ObjectNode types = ScimSchemas.resourceTypesListResponse(BASE);
    assertThat(types.get("Resources").get(0).get("schemaExtensions").get(0).get("schema").asText())
        .isEqualTo(ScimSchemas.ENTERPRISE_USER);
    ObjectNode config =
        ScimSchemas.serviceProviderConfig(ServiceProviderSettings.defaults(200), BASE);
    assertThat(config.get("patch").get("supported").asBoolean()).isTrue();
    assertThat(config.get("bulk").get("supported").asBoolean()).isFalse();
    assertThat(config.get("filter").get("maxResults").asInt()).isEqualTo(200);
    assertThat(config.get("changePassword").get("supported").asBoolean()).isFalse();
    assertThat(config.get("sort").get("supported").asBoolean()).isTrue();
    assertThat(config.get("etag").get("supported").asBoolean()).isTrue();
    assertThat(config.get("authenticationSchemes").get(0).get("type").asText())
        .isEqualTo("oauthbearertoken");
    ObjectNode group = ScimSchemas.resourceType("group", BASE);
    assertThat(group.get("endpoint").asText()).isEqualTo("/Groups");
    ObjectNode enterprise = ScimSchemas.schema(ScimSchemas.ENTERPRISE_USER, BASE);
    assertThat(enterprise.get("attributes").findValuesAsText("name")).contains("manager", "$ref");

    for (JsonNode doc : List.of(schemas, types, config, group, enterprise)) {
      assertThat(nullPaths(doc, "")).isEmpty();
    }
    assertThatThrownBy(() -> ScimSchemas.schema("urn:nope", BASE))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> ScimSchemas.resourceType("Device", BASE))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  private static List<String> nullPaths(JsonNode node, String at) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      out.add(at);
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(e -> out.addAll(nullPaths(e.getValue(), at + "/" + e.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.addAll(nullPaths(node.get(i), at + "/" + i));
      }
    }
    return out;
  }
}

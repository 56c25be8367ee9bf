package io.provisioninghub.audit.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.audit.AuditFixtures;
import io.provisioninghub.contracts.Operation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactionPolicyTest {

  private static RedactionPolicy policy(boolean maskPii, List<String> extraSecrets) {
    return new RedactionPolicy(
        new RedactionConfig() {
          @Override
          public Optional<List<String>> extraSecretMarkers() {
            return Optional.of(extraSecrets);
          }

          @Override
          public boolean maskPii() {
            return maskPii;
          }

          @Override
          public List<String> piiPaths() {
            return List.of("emails.value", "phoneNumbers.value", "name.*", "addresses");
          }

          @Override
          public String mask() {
            return "***";
          }
        });
  }

  private static final JsonNode USER =
      AuditFixtures.json(
          """
          {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
           "userName":"alice@contoso.com","password":"p@ss","active":true,
           "name":{"givenName":"Alice","familyName":"Liddell","formatted":"Alice Liddell"},
           "emails":[{"type":"work","value":"alice@contoso.com","primary":true}],
           "phoneNumbers":[{"type":"mobile","value":"+1 555 0100"}],
           "addresses":[{"type":"work","streetAddress":"1 Main St"}],
           "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":
             {"department":"Sales","apiToken":"t0k","clientSecretHint":"x"},
           "badgePin":"1234"}
          """);

  @Test
  void secretsAreRemovedAndPiiMasked() {
    JsonNode out = policy(true, List.of("pin")).redact(Operation.CREATE, USER);

    assertThat(out.has("password")).isFalse();
    assertThat(out.has("badgePin")).isFalse();
    JsonNode enterprise = out.get("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    assertThat(enterprise.has("apiToken")).isFalse();
    assertThat(enterprise.has("clientSecretHint")).isFalse();
    assertThat(enterprise.get("department").asText()).isEqualTo("Sales");
    assertThat(out.at("/name/givenName").asText()).isEqualTo("***");
    assertThat(out.at("/name/formatted").asText()).isEqualTo("***");
    assertThat(out.at("/emails/0/value").asText()).isEqualTo("***");
    assertThat(out.at("/emails/0/type").asText()).isEqualTo("work");
    assertThat(out.at("/phoneNumbers/0/value").asText()).isEqualTo("***");
    assertThat(out.get("addresses").asText()).isEqualTo("***");
    assertThat(out.get("userName").asText()).isEqualTo("alice@contoso.com");
    assertThat(USER.get("password").asText()).as("input untouched").isEqualTo("p@ss");
  }

  @Test
  void withoutPiiMaskingOnlySecretsGo() {
    JsonNode out = policy(false, List.of()).redact(Operation.REPLACE, USER);

    assertThat(out.has("password")).isFalse();
    assertThat(out.at("/emails/0/value").asText()).isEqualTo("alice@contoso.com");
    assertThat(out.at("/name/familyName").asText()).isEqualTo("Liddell");
  }

  @Test
  void patchOperationsAreRedactedByTheirPath() {
    JsonNode patch =
        AuditFixtures.json(
            """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
             "Operations":[
               {"op":"replace","path":"password","value":"n3w"},
               {"op":"Replace","path":"emails[type eq \\"work\\"].value","value":"a@b.c"},
               {"op":"remove","path":"emails[value eq \\"old@b.c\\"]"},
               {"op":"replace","path":"name","value":{"givenName":"Al"}},
               {"op":"replace","value":{"displayName":"Al L","name.familyName":"L","userPassword":"x"}},
               {"op":"add","path":"members","value":[{"value":"123"}]},
               {"op":"replace","path":"active","value":"False"}]}
            """);

    JsonNode ops = policy(true, List.of()).redact(Operation.PATCH, patch).get("Operations");

    assertThat(ops.get(0).has("value")).isFalse();
    assertThat(ops.get(0).get("path").asText()).isEqualTo("password");
    assertThat(ops.get(1).get("value").asText()).isEqualTo("***");
    assertThat(ops.get(1).get("path").asText()).isEqualTo("emails[***].value");
    assertThat(ops.get(2).get("path").asText()).isEqualTo("emails[***]");
    assertThat(ops.get(3).at("/value/givenName").asText()).isEqualTo("***");
    assertThat(ops.get(4).at("/value/displayName").asText()).isEqualTo("Al L");
    assertThat(ops.get(4).at("/value").has("userPassword")).isFalse();
    assertThat(ops.get(5).at("/value/0/value").asText()).isEqualTo("123");
    assertThat(ops.get(6).get("value").asText()).isEqualTo("False");
  }

  /** A body of any depth is copied and redacted without recursion into the stack. */
  @Test
  void aTenThousandDeepBodyIsRedactedWithoutStackOverflow() {
    for (Operation operation : new Operation[] {Operation.CREATE, Operation.PATCH}) {
      com.fasterxml.jackson.databind.node.ObjectNode body =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      body.put("userName", "deep@contoso.com");
      com.fasterxml.jackson.databind.node.ObjectNode level = body.putObject("nested");
      level.put("password", "hunter2");
      for (int i = 0; i < 10_000; i++) {
        level =
            i % 2 == 0
                ? level.putObject("o")
                : level.putArray("Operations").addObject().put("value", "x");
      }
      body.putArray("Operations").addObject().put("op", "add").set("value", body.get("nested"));

      JsonNode redacted = policy(true, List.of()).redact(operation, body);

      assertThat(redacted.get("userName").asText()).isEqualTo("deep@contoso.com");
      assertThat(redacted.toString()).contains(RedactionPolicy.TOO_DEEP).doesNotContain("hunter2");
      assertThat(depth(redacted)).isEqualTo(RedactionPolicy.MAX_DEPTH);
    }
  }

  @Test
  void textThePostgresCannotHoldIsMadeStorable() {
    JsonNode body =
        AuditFixtures.json("{\"userName\":\"a\\u0000b\",\"x\\u0000\":\"lone \\ud800\"}");

    JsonNode redacted = policy(false, List.of()).redact(Operation.CREATE, body);

    assertThat(redacted.get("userName").asText()).isEqualTo("a\uFFFDb");
    assertThat(redacted.get("x\uFFFD").asText()).isEqualTo("lone \uFFFD");
  }

  private static int depth(JsonNode root) {
    int deepest = 0;
    java.util.Deque<java.util.Map.Entry<JsonNode, Integer>> work = new java.util.ArrayDeque<>();
    work.push(java.util.Map.entry(root, 1));
    while (!work.isEmpty()) {
      var next = work.pop();
      deepest = Math.max(deepest, next.getValue());
      for (JsonNode child : next.getKey()) {
        if (child.isContainerNode()) {
          work.push(java.util.Map.entry(child, next.getValue() + 1));
        }
      }
    }
    return deepest;
  }
}

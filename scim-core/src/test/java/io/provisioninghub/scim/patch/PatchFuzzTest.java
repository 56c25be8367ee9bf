package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.schema.ResourceKind;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random PATCH and POST bodies built from plausible pieces: only ScimException may escape. */
class PatchFuzzTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> PATHS =
      List.of(
          "userName",
          "name.givenName",
          "emails",
          "emails[type eq \"work\"].value",
          "emails[type eq \"work\"]",
          "phoneNumbers[type eq \"mobile\"].value",
          "active",
          "id",
          "members",
          "members[value eq \"x\"]",
          "groups",
          "meta",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
          "x[",
          "a.b.c",
          "",
          "urn:x:1.0:User:y",
          "displayName",
          "roles",
          "emails[value co \"@\"].type",
          "name[givenName eq \"a\"]");
  private static final List<String> OPS = List.of("add", "Replace", "REMOVE", "copy", "");

  @Test
  void randomBodiesOnlyEverFailWithScimExceptions() {
    Random random = new Random(7);
    ObjectNode user =
        ResourceNormalizer.forCreate(ResourceKind.USER, load("entra/create-user.json")).document();
    ObjectNode group =
        ResourceNormalizer.forCreate(ResourceKind.GROUP, load("entra/create-group.json"))
            .document();
    int applied = 0;
    for (int i = 0; i < 5000; i++) {
      ObjectNode body = F.objectNode();
      body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
      ArrayNode ops = body.putArray("Operations");
      for (int j = 0; j < 1 + random.nextInt(3); j++) {
        ObjectNode op = ops.addObject();
        op.put("op", OPS.get(random.nextInt(OPS.size())));
        if (random.nextInt(4) > 0) {
          op.put("path", PATHS.get(random.nextInt(PATHS.size())));
        }
        if (random.nextInt(4) > 0) {
          op.set("value", randomValue(random, 2));
        }
      }
      try {
        PatchApplier.applyToUser(user, PatchParser.parse(body));
        applied++;
      } catch (ScimException e) {
        assertThat(e.status()).isEqualTo(400);
      }
      try {
        PatchApplier.applyToGroup(group, PatchParser.parse(body));
      } catch (ScimException e) {
        assertThat(e.status()).isEqualTo(400);
      }
      ObjectNode create = F.objectNode();
      create.set(
          "schemas",
          random.nextBoolean()
              ? F.arrayNode().add("urn:ietf:params:scim:schemas:core:2.0:User")
              : randomValue(random, 1));
      for (String key :
          List.of(
              "userName",
              "active",
              "emails",
              "name",
              "groups",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")) {
        if (random.nextBoolean()) {
          create.set(key, randomValue(random, 2));
        }
      }
      try {
        ResourceNormalizer.forCreate(ResourceKind.USER, create);
      } catch (ScimException e) {
        assertThat(e.status()).isEqualTo(400);
      }
    }
    assertThat(applied).as("the generator also produces valid patches").isGreaterThan(100);
  }

  private static JsonNode randomValue(Random random, int depth) {
    return switch (random.nextInt(depth > 0 ? 8 : 5)) {
      case 0 -> F.textNode(random.nextBoolean() ? "False" : "x@y");
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> F.nullNode();
      case 3 -> F.numberNode(random.nextInt(10));
      case 4 -> F.textNode("");
      case 5, 6 -> {
        ObjectNode o = F.objectNode();
        for (String k : List.of("value", "type", "primary", "givenName", "department", "manager")) {
          if (random.nextBoolean()) {
            o.set(k, randomValue(random, depth - 1));
          }
        }
        yield o;
      }
      default -> {
        ArrayNode a = F.arrayNode();
        for (int i = 0; i < random.nextInt(3); i++) {
          a.add(randomValue(random, depth - 1));
        }
        yield a;
      }
    };
  }
}

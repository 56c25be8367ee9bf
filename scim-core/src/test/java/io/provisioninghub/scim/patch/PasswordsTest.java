package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.schema.ResourceKind;
import org.junit.jupiter.api.Test;

class PasswordsTest {

  private static final String ID = "5b7f3a61-2c8e-4d90-b1a4-6e3f8c2d7a15";

  private static ObjectNode patchBody(String operationsJson) {
    return (ObjectNode)
        json(
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":"
                + operationsJson
                + "}");
  }

  private static Passwords.Extracted fromPatch(ObjectNode body) {
    ScimPatch parsed = PatchParser.parse(body);
    PatchApplier.check(ResourceKind.USER, ID, parsed);
    return Passwords.fromPatch(body, parsed);
  }

  @Test
  void aCreateBodyLosesItsPasswordAndSaysOneWasSet() {
    ObjectNode normalized =
        ResourceNormalizer.forCreate(
                ResourceKind.USER,
                json(
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                        + "\"userName\":\"a@b.c\",\"Password\":\"S3cret!x\"}"))
            .document();

    Passwords.Extracted out = Passwords.fromDocument(normalized);

    assertThat(out.body().toString()).doesNotContain("S3cret!x").doesNotContain("assword");
    assertThat(out.body().get("userName").textValue()).isEqualTo("a@b.c");
    assertThat(out.set()).isTrue();
    assertThat(out.plaintext()).isEqualTo("S3cret!x");
    assertThat(out.toString()).doesNotContain("S3cret!x");
  }

  @Test
  void aBodyWithoutPasswordIsUntouched() {
    ObjectNode doc = (ObjectNode) json("{\"userName\":\"a@b.c\"}");

    Passwords.Extracted out = Passwords.fromDocument(doc);

    assertThat(out.body()).isSameAs(doc);
    assertThat(out.touched()).isFalse();
  }

  @Test
  void aNonStringPasswordIsStillRefusedByTheNormalizer() {
    assertThatThrownBy(
            () ->
                ResourceNormalizer.forCreate(
                    ResourceKind.USER,
                    json(
                        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                            + "\"userName\":\"a@b.c\",\"password\":{\"x\":1}}")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void patchOperationsOnThePasswordAreTakenOutInEveryForm() {
    ObjectNode body =
        patchBody(
            "[{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Alice\"},"
                + "{\"op\":\"replace\",\"path\":\"password\",\"value\":\"first\"},"
                + "{\"op\":\"add\",\"value\":{\"password\":\"second\",\"title\":\"CTO\"}},"
                + "{\"op\":\"replace\",\"path\":\"urn:ietf:params:scim:schemas:core:2.0:User:password\","
                + "\"value\":\"third\"}]");

    Passwords.Extracted out = fromPatch(body);

    assertThat(out.set()).isTrue();
    assertThat(out.plaintext()).isEqualTo("third");
    String published = out.body().toString();
    assertThat(published).doesNotContain("first", "second", "third", "assword");
    // The rest of the patch still applies as before.
    ObjectNode stored = (ObjectNode) json("{\"id\":\"" + ID + "\",\"userName\":\"a@b.c\"}");
    ObjectNode after = PatchApplier.applyToUser(stored, PatchParser.parse(out.body())).document();
    assertThat(after.get("displayName").textValue()).isEqualTo("Alice");
    assertThat(after.get("title").textValue()).isEqualTo("CTO");
    assertThat(after.has("password")).isFalse();
  }

  @Test
  void aRemoveOfThePasswordSaysItWasRemovedAndMayLeaveNoOperation() {
    Passwords.Extracted out = fromPatch(patchBody("[{\"op\":\"remove\",\"path\":\"password\"}]"));

    assertThat(out.set()).isFalse();
    assertThat(out.plaintext()).isNull();
    assertThat(Passwords.hasOperations(out.body())).isFalse();
  }

  @Test
  void aPatchWithoutPasswordIsPublishedAsItCame() {
    ObjectNode body = patchBody("[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]");

    Passwords.Extracted out = fromPatch(body);

    assertThat(out.body()).isSameAs(body);
    assertThat(out.touched()).isFalse();
  }

  @Test
  void aNonStringPasswordInAPatchIsStillRefusedByTheCheck() {
    assertThatThrownBy(
            () -> fromPatch(patchBody("[{\"op\":\"replace\",\"path\":\"password\",\"value\":42}]")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void stripRemovesAStoredPassword() {
    ObjectNode doc = (ObjectNode) json("{\"userName\":\"a\",\"password\":\"x\"}");

    assertThat(Passwords.strip(doc)).isTrue();
    assertThat(doc.has("password")).isFalse();
    assertThat(Passwords.strip(doc)).isFalse();
  }
}

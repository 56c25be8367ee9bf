package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.json;
import static io.provisioninghub.scim.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import org.junit.jupiter.api.Test;

class GroupPatchTest {

  private static final String A = "26118915-6090-4610-87e4-49d8ca9f808d";
  private static final String B = "7d2e4c18-93b5-4f0a-8c61-e5a9b3d7f204";
  private static final String C = "a1f5c7e9-2b4d-4e6f-8a0c-1d3e5f7a9b2c";

  private final ObjectNode stored =
      json(
          "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
              + "'id':'c4e9a2b7-1f35-4d68-9b0e-7a2c5d8f3e61','displayName':'Tour Operations'}");

  private GroupPatchResult patch(ObjectNode body) {
    return PatchApplier.applyToGroup(stored, PatchParser.parse(body));
  }

  private static ObjectNode ops(String operationsJson) {
    return json(
        "{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':"
            + operationsJson
            + "}");
  }

  @Test
  void entraAddsSeveralMembers() {
    GroupPatchResult r = patch(load("entra/patch-group-add-members.json"));
    assertThat(r.membership())
        .isEqualTo(new MembershipChange(java.util.Set.of(B, C), java.util.Set.of(), false));
    assertThat(r.document().has("members")).isFalse();
    assertThat(r.changedAttributes()).containsExactly("members");
  }

  @Test
  void entraRemovesWithAValueArray() {
    GroupPatchResult r = patch(load("entra/patch-group-remove-member.json"));
    assertThat(r.membership().remove()).containsExactly(A);
    assertThat(r.membership().add()).isEmpty();
    assertThat(r.membership().replaceAll()).isFalse();
  }

  @Test
  void entraRenameChangesTheDocumentOnly() {
    GroupPatchResult r = patch(load("entra/patch-group-rename.json"));
    assertThat(r.document().get("displayName").asText()).isEqualTo("Tour Operations EMEA");
    assertThat(r.membership().isEmpty()).isTrue();
    assertThat(r.changedAttributes()).containsExactly("displayName");
  }

  @Test
  void oktaGroupPush() {
    GroupPatchResult rename = patch(load("okta/patch-group-push-rename.json"));
    assertThat(rename.document().get("displayName").asText()).isEqualTo("Field Sales");
    assertThat(rename.changedAttributes()).containsExactly("displayName");

    GroupPatchResult members = patch(load("okta/patch-group-push-members.json"));
    assertThat(members.membership().add()).containsExactly("5b7f3a61-2c8e-4d90-b1a4-6e3f8c2d7a15");
    assertThat(members.membership().remove())
        .containsExactly("8e1d4f7a-3b6c-4a92-9d05-c2f8e7b1a436");
  }

  @Test
  void removeAllAndReplace() {
    MembershipChange all = patch(ops("[{'op':'remove','path':'members'}]")).membership();
    assertThat(all).isEqualTo(new MembershipChange(java.util.Set.of(), java.util.Set.of(), true));

    MembershipChange replaced =
        patch(
                ops(
                    "[{'op':'replace','path':'members','value':[{'value':'"
                        + B
                        + "'},{'value':'"
                        + C.toUpperCase()
                        + "'}]}]"))
            .membership();
    assertThat(replaced)
        .isEqualTo(new MembershipChange(java.util.Set.of(B, C), java.util.Set.of(), true));

    MembershipChange sequence =
        patch(
                ops(
                    "[{'op':'add','path':'members','value':[{'value':'"
                        + A
                        + "'}]},"
                        + "{'op':'remove','path':'members[value eq \\'"
                        + A
                        + "\\']'},"
                        + "{'op':'add','path':'members','value':{'value':'"
                        + B
                        + "'}}]"))
            .membership();
    assertThat(sequence.add()).containsExactly(B);
    assertThat(sequence.remove()).containsExactly(A);
  }

  @Test
  void badMembersAreInvalidValue() {
    for (String body :
        new String[] {
          "[{'op':'add','path':'members','value':[{'value':'not-a-uuid'}]}]",
          "[{'op':'add','path':'members','value':['" + A + "']}]",
          "[{'op':'add','path':'members','value':[{'display':'x'}]}]"
        }) {
      assertThatThrownBy(() -> patch(ops(body)))
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidValue));
    }
    assertThatThrownBy(() -> patch(ops("[{'op':'remove','path':'members[display eq \\'x\\']'}]")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidPath));
  }

  @Test
  void aPathIntoAMembersImmutableOrReadOnlySubAttributeIsAMutabilityError() {
    // /Schemas: members.value, .type and .$ref are immutable, members.display is read-only.
    for (String path :
        new String[] {
          "members.value",
          "members[value eq \\'" + A + "\\'].value",
          "members.display",
          "members.type",
          "members.$ref"
        }) {
      assertThatThrownBy(() -> patch(ops("[{'op':'replace','path':'" + path + "','value':'x'}]")))
          .as(path)
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> assertThat(e.scimType()).isEqualTo(ScimType.mutability));
    }
    assertThatThrownBy(() -> patch(ops("[{'op':'replace','path':'members.noSuch','value':'x'}]")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidPath));
  }

  @Test
  void entraGroupCreate() {
    NormalizedResource n =
        ResourceNormalizer.forCreate(ResourceKind.GROUP, load("entra/create-group.json"));
    assertThat(n.memberIds()).containsExactlyInAnyOrder(A, "0c8a5d2f-7e91-4b36-a4f2-5b19d0e6c7a3");
    assertThat(n.document().has("members")).isFalse();
    assertThat(n.document().has("meta")).isFalse();
    assertThat(n.document().get("schemas").toString())
        .contains("http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group");
    assertThat(n.document().get("externalId").asText())
        .isEqualTo("4b8e1f36-0a9d-4c52-8e7b-d13f6a2c9e05");
  }
}

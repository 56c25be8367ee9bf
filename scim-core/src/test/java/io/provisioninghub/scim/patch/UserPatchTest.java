package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.json;
import static io.provisioninghub.scim.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserPatchTest {

  private static final String ENT = ScimSchemas.ENTERPRISE_USER;
  private static final String CUSTOM =
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";

  private ObjectNode stored;

  @BeforeEach
  void storedUserFromEntraCreate() {
    stored =
        ResourceNormalizer.forCreate(ResourceKind.USER, load("entra/create-user.json")).document();
    stored.put("id", "5b7f3a61-2c8e-4d90-b1a4-6e3f8c2d7a15");
  }

  private PatchResult patch(ObjectNode doc, ObjectNode body) {
    return PatchApplier.applyToUser(doc, PatchParser.parse(body));
  }

  private PatchResult patch(ObjectNode body) {
    return patch(stored, body);
  }

  private static ObjectNode ops(String operationsJson) {
    return json(
        "{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':"
            + operationsJson
            + "}");
  }

  @Test
  void entraReplaceWithoutPathSplitsDottedAndUrnKeys() {
    PatchResult r = patch(load("entra/patch-user-replace-no-path.json"));
    ObjectNode d = r.document();
    assertThat(d.get("displayName").asText()).isEqualTo("Lena Marsh-Okafor");
    assertThat(d.at("/name/familyName").asText()).isEqualTo("Marsh-Okafor");
    assertThat(d.at("/name/givenName").asText()).isEqualTo("Lena");
    assertThat(d.get(ENT).get("department").asText()).isEqualTo("Finance");
    assertThat(d.get(ENT).get("employeeNumber").asText()).isEqualTo("701984");
    assertThat(d.get(ENT).get("manager"))
        .isEqualTo(json("{'value':'0c8a5d2f-7e91-4b36-a4f2-5b19d0e6c7a3'}"));
    assertThat(d.get("active").isBoolean()).isTrue();
    assertThat(d.get("active").booleanValue()).isFalse();
    assertThat(r.changedAttributes())
        .containsExactlyInAnyOrder(
            "displayName",
            "name.familyName",
            "name.formatted",
            ENT + ":department",
            ENT + ":manager",
            "active");
    assertThat(stored.get("active").booleanValue()).as("input untouched").isTrue();
  }

  @Test
  void falseStringsWithAndWithoutTheEntraFlag() {
    assertThat(patch(load("entra/patch-user-disable.json")).document().get("active"))
        .isEqualTo(json("{'a':false}").get("a"));
    assertThat(
            patch(load("entra/patch-user-disable-flag.json")).document().get("active").asBoolean())
        .isFalse();
    assertThat(patch(load("okta/patch-user-deactivate.json")).document().get("active").asBoolean())
        .isFalse();
    assertThatThrownBy(() -> patch(ops("[{'op':'replace','path':'active','value':'maybe'}]")))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidValue));
  }

  @Test
  void entraAttributeUpdatesByValuePath() {
    PatchResult r = patch(load("entra/patch-user-attributes.json"));
    ObjectNode d = r.document();
    assertThat(d.get("emails")).hasSize(1);
    assertThat(d.at("/emails/0/value").asText()).isEqualTo("lena.okafor@contoso.com");
    assertThat(d.at("/emails/0/primary").asBoolean()).isTrue();
    assertThat(d.get("phoneNumbers")).hasSize(2);
    assertThat(d.at("/phoneNumbers/0"))
        .isEqualTo(json("{'type':'mobile','value':'+44 7700 900123'}"));
    assertThat(d.at("/phoneNumbers/1")).isEqualTo(json("{'type':'fax','value':'425-555-0199'}"));
    assertThat(d.get(ENT).get("employeeNumber").asText()).isEqualTo("701985");
    assertThat(d.has("title")).as("replace with \"\" clears").isFalse();
    assertThat(r.changedAttributes())
        .containsExactlyInAnyOrder(
            "emails.value", "phoneNumbers.value", ENT + ":employeeNumber", "title");
  }

  @Test
  void replacingTheWorkEmailNeverYieldsTwoWorkEmails() {
    ObjectNode two =
        json(
            "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'u',"
                + "'emails':[{'type':'work','value':'a@x'},{'type':'home','value':'h@x'}]}");
    ObjectNode d =
        patch(
                two,
                ops(
                    "[{'op':'replace','path':'emails[type eq \\'work\\']','value':{'type':'work','value':'b@x'}},"
                        + "{'op':'add','path':'emails','value':[{'type':'WORK','value':'c@x','primary':true}]}]"))
            .document();
    assertThat(d.get("emails")).hasSize(2);
    assertThat(d.get("emails").findValuesAsText("value")).containsExactly("c@x", "h@x");
  }

  @Test
  void removeByValuePathAndSubAttribute() {
    ObjectNode d =
        patch(
                ops(
                    "[{'op':'remove','path':'emails[type eq \\'work\\'].value'},"
                        + "{'op':'remove','path':'name.givenName'},"
                        + "{'op':'remove','path':'phoneNumbers[type eq \\'mobile\\']'}]"))
            .document();
    assertThat(d.has("emails")).isFalse();
    assertThat(d.has("phoneNumbers")).isFalse();
    assertThat(d.get("name").has("givenName")).isFalse();
    assertThat(d.at("/name/familyName").asText()).isEqualTo("Marsh");
  }

  @Test
  void managerAddAsStringOrObjectAndRemove() {
    ObjectNode noManager = stored.deepCopy();
    ((ObjectNode) noManager.get(ENT)).remove("manager");
    for (String fixture :
        new String[] {
          "entra/patch-user-manager-add.json", "entra/patch-user-manager-add-flag.json"
        }) {
      ObjectNode d = patch(noManager, load(fixture)).document();
      assertThat(d.get(ENT).get("manager"))
          .isEqualTo(json("{'value':'0c8a5d2f-7e91-4b36-a4f2-5b19d0e6c7a3'}"));
    }
    ObjectNode removed = patch(load("entra/patch-user-manager-remove.json")).document();
    assertThat(removed.get(ENT).has("manager")).isFalse();
    ObjectNode cleared =
        patch(ops("[{'op':'Replace','path':'" + ENT + ":manager','value':''}]")).document();
    assertThat(cleared.get(ENT).has("manager")).isFalse();
    ObjectNode clearedObject =
        patch(ops("[{'op':'Replace','path':'" + ENT + ":manager','value':{'value':''}}]"))
            .document();
    assertThat(clearedObject.get(ENT).has("manager")).isFalse();
  }

  @Test
  void enterpriseExtensionIsDeclaredWhenAddedAndDroppedWhenEmptied() {
    ObjectNode plain =
        json("{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'u'}");
    ObjectNode added =
        patch(plain, ops("[{'op':'add','path':'" + ENT + ":department','value':'Ops'}]"))
            .document();
    assertThat(added.get("schemas").findValuesAsText("")).isEmpty();
    assertThat(added.get("schemas")).extracting(JsonNode::asText).contains(ENT);
    ObjectNode emptied =
        patch(added, ops("[{'op':'remove','path':'" + ENT + ":department'}]")).document();
    assertThat(emptied.has(ENT)).isFalse();
    assertThat(emptied.get("schemas")).extracting(JsonNode::asText).doesNotContain(ENT);

    ObjectNode whole =
        patch(
                plain,
                ops("[{'op':'add','value':{'" + ENT + "':{'department':'A','costCenter':'7'}}}]"))
            .document();
    assertThat(whole.get(ENT)).isEqualTo(json("{'department':'A','costCenter':'7'}"));
  }

  @Test
  void customExtensionIsKeptAndPatchable() {
    assertThat(stored.get(CUSTOM)).isEqualTo(json("{'badgeColour':'green'}"));
    ObjectNode d =
        patch(ops("[{'op':'replace','path':'" + CUSTOM + ":badgeColour','value':'red'}]"))
            .document();
    assertThat(d.get(CUSTOM).get("badgeColour").asText()).isEqualTo("red");
    assertThat(d.get("schemas")).extracting(JsonNode::asText).contains(CUSTOM);
    ObjectNode cleared =
        patch(ops("[{'op':'replace','path':'" + CUSTOM + ":badgeColour','value':''}]")).document();
    assertThat(cleared.has(CUSTOM)).isFalse();
    ObjectNode qualified =
        patch(
                ops(
                    "[{'op':'replace','path':'urn:ietf:params:scim:schemas:core:2.0:User:name.givenName','value':'Léna'}]"))
            .document();
    assertThat(qualified.at("/name/givenName").asText()).isEqualTo("Léna");
  }

  @Test
  void readOnlyAndImmutableAttributesCannotChange() {
    for (String path :
        new String[] {"id", "meta.created", "groups", ENT + ":manager.displayName"}) {
      assertThatThrownBy(() -> patch(ops("[{'op':'replace','path':'" + path + "','value':'x'}]")))
          .as(path)
          .isInstanceOfSatisfying(
              BadRequestException.class,
              e -> assertThat(e.scimType()).isEqualTo(ScimType.mutability));
    }
    // Okta repeats the unchanged id in a no-path replace; that is fine.
    PatchResult same =
        patch(
            ops(
                "[{'op':'replace','value':{'id':'5b7f3a61-2c8e-4d90-b1a4-6e3f8c2d7a15','userName':'New.Name@Contoso.com'}}]"));
    assertThat(same.document().get("userName").asText()).isEqualTo("New.Name@Contoso.com");
    assertThat(same.changedAttributes()).containsExactly("userName");
  }

  @Test
  void valuesAreStoredExactlyAsSentAndNullsMeanAbsent() {
    ObjectNode d =
        patch(
                ops(
                    "[{'op':'add','path':'phoneNumbers','value':[{'type':'work','value':'(425) 555-0100 x12','display':null}]},"
                        + "{'op':'replace','path':'nickName','value':null}]"))
            .document();
    assertThat(d.at("/phoneNumbers/0"))
        .isEqualTo(json("{'type':'mobile','value':'+1 (425) 555-0142'}"));
    assertThat(d.at("/phoneNumbers/1"))
        .isEqualTo(json("{'type':'work','value':'(425) 555-0100 x12'}"));
    assertThat(d.has("nickName")).isFalse();
  }

  @Test
  void unchangedValuesAreNotReportedAsChanged() {
    PatchResult r =
        patch(
            ops(
                "[{'op':'replace','path':'userName','value':'Lena.Marsh@contoso.onmicrosoft.com'}]"));
    assertThat(r.changedAttributes()).isEmpty();
  }

  @Test
  void parserRejectsWhatTheRfcRejects() {
    assertError(
        json("{'Operations':[{'op':'add','path':'title','value':'x'}]}"), ScimType.invalidSyntax);
    assertError(
        json("{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[]}"),
        ScimType.invalidSyntax);
    assertError(ops("[{'op':'remove'}]"), ScimType.noTarget);
    assertError(ops("[{'op':'move','path':'title'}]"), ScimType.invalidSyntax);
    assertError(ops("[{'op':'add','path':'title'}]"), ScimType.invalidValue);
    assertError(
        ops("[{'op':'add','path':'emails[type eq \\'work\\'','value':'x'}]"), ScimType.invalidPath);
    assertError(ops("[{'op':'add','path':'nickname2','value':'x'}]"), ScimType.invalidPath);
    assertError(
        ops("[{'op':'add','path':'title[value eq \\'x\\']','value':'x'}]"), ScimType.invalidPath);
    assertError(
        ops("[{'op':'add','path':'emails','value':'not-an-array'}]"), ScimType.invalidValue);
    assertError(ops("[{'op':'add','value':'not-an-object'}]"), ScimType.invalidValue);
    assertError(ops("[42]"), ScimType.invalidSyntax);
  }

  private void assertError(ObjectNode body, ScimType type) {
    assertThatThrownBy(() -> patch(body))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.scimType()).isEqualTo(type));
  }
}

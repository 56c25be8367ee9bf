package io.provisioninghub.scim.patch;

import static io.provisioninghub.scim.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.scim.schema.ResourceKind;
import org.junit.jupiter.api.Test;

class AttributeProjectionTest {

  private static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

  private final ObjectNode user =
      json(
          "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User','"
              + ENT
              + "'],'id':'1',"
              + "'userName':'a','password':'p','name':{'givenName':'G','familyName':'F'},"
              + "'emails':[{'type':'work','value':'a@x'},{'type':'home','value':'h@x'}],"
              + "'meta':{'resourceType':'User'},'"
              + ENT
              + "':{'department':'D','costCenter':'C'}}");

  @Test
  void attributesKeepsOnlyWhatWasAskedPlusIdSchemasMeta() {
    ObjectNode p =
        AttributeProjection.apply(
            user,
            "USERNAME, name.givenName,emails.value," + ENT + ":department",
            null,
            ResourceKind.USER);
    assertThat(p)
        .isEqualTo(
            json(
                "{'id':'1','schemas':['urn:ietf:params:scim:schemas:core:2.0:User','"
                    + ENT
                    + "'],"
                    + "'meta':{'resourceType':'User'},'userName':'a','name':{'givenName':'G'},"
                    + "'emails':[{'value':'a@x'},{'value':'h@x'}],'"
                    + ENT
                    + "':{'department':'D'}}"));
  }

  @Test
  void excludedAttributesNeverRemovesIdSchemasMeta() {
    ObjectNode p =
        AttributeProjection.apply(
            user, null, "emails,id,meta,name.familyName," + ENT, ResourceKind.USER);
    assertThat(p.has("emails")).isFalse();
    assertThat(p.has(ENT)).isFalse();
    assertThat(p.has("id")).isTrue();
    assertThat(p.has("meta")).isTrue();
    assertThat(p.get("name")).isEqualTo(json("{'givenName':'G'}"));
    assertThat(p.has("password")).as("returned never").isFalse();
    assertThat(user.has("emails")).as("input untouched").isTrue();
  }

  @Test
  void excludingMembersRemovesTheKey() {
    ObjectNode group = json("{'id':'g','displayName':'G','members':[{'value':'u'}]}");
    assertThat(AttributeProjection.apply(group, "", "members", ResourceKind.GROUP).has("members"))
        .isFalse();
    assertThat(AttributeProjection.apply(group, null, null, ResourceKind.GROUP).has("members"))
        .isTrue();
  }
}

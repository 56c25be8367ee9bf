package io.provisioninghub.graphsync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserMappingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aGraphUserBecomesTheScimUserEntraWouldSend() throws Exception {
    JsonNode graph =
        JSON.readTree(
            "{\"id\":\"6e7b768e-07e2-4810-8459-485f84f8f204\",\"userPrincipalName\":\"ada@contoso.com\","
                + "\"displayName\":\"Ada Lovelace\",\"givenName\":\"Ada\",\"surname\":\"Lovelace\","
                + "\"mail\":\"ada@contoso.com\",\"accountEnabled\":false,\"jobTitle\":\"Analyst\","
                + "\"department\":\"Engines\"}");
    ObjectNode user = UserMapping.user(graph);
    assertThat(user.get("externalId").asText()).isEqualTo("6e7b768e-07e2-4810-8459-485f84f8f204");
    assertThat(user.get("userName").asText()).isEqualTo("ada@contoso.com");
    assertThat(user.at("/name/givenName").asText()).isEqualTo("Ada");
    assertThat(user.at("/name/familyName").asText()).isEqualTo("Lovelace");
    assertThat(user.at("/emails/0/value").asText()).isEqualTo("ada@contoso.com");
    assertThat(user.at("/emails/0/primary").asBoolean()).isTrue();
    assertThat(user.get("active").asBoolean()).isFalse();
    assertThat(user.get("title").asText()).isEqualTo("Analyst");
    assertThat(user.get(UserMapping.ENTERPRISE).get("department").asText()).isEqualTo("Engines");
    assertThat(user.get("schemas")).hasSize(2);
  }

  @Test
  void propertiesGraphLeftOutOrNulledAreLeftOut() throws Exception {
    JsonNode graph =
        JSON.readTree(
            "{\"id\":\"x\",\"userPrincipalName\":\"bob@contoso.com\",\"jobTitle\":null,"
                + "\"accountEnabled\":true}");
    ObjectNode user = UserMapping.user(graph);
    assertThat(user.has("title")).isFalse();
    assertThat(user.has("name")).isFalse();
    assertThat(user.has("emails")).isFalse();
    assertThat(user.has(UserMapping.ENTERPRISE)).isFalse();
    assertThat(user.get("schemas")).hasSize(1);
  }

  @Test
  void memberRemovalsNameEachMemberInOneFilter() {
    ObjectNode patch = UserMapping.removeMembers(List.of("a", "b"));
    assertThat(patch.at("/Operations/0/op").asText()).isEqualTo("remove");
    assertThat(patch.at("/Operations/0/path").asText())
        .isEqualTo("members[value eq \"a\" or value eq \"b\"]");
    ObjectNode replace = UserMapping.members(List.of("a"), true);
    assertThat(replace.at("/Operations/0/op").asText()).isEqualTo("replace");
    assertThat(replace.at("/Operations/0/value/0/value").asText()).isEqualTo("a");
  }
}

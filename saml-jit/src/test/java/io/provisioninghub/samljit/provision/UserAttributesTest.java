package io.provisioninghub.samljit.provision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claims → SCIM paths → a user document, and reading the paths back. */
class UserAttributesTest {

  @Test
  void entraDefaultsMapTheFirstNonBlankValueOfEachClaim() {
    Map<String, String> values =
        UserAttributes.mapped(
            ClaimMapping.ENTRA_DEFAULTS,
            Map.of(
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                List.of("adele@contoso.example"),
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
                List.of(" ", " Adele "),
                "urn:unmapped",
                List.of("x")));
    assertThat(values)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("userName", "adele@contoso.example", "name.givenName", "Adele"));
  }

  @Test
  void pathsAreWrittenAndReadBack() {
    ObjectNode user =
        UserAttributes.newUser(
            "adele@contoso.example",
            Map.of(
                "name.familyName", "Vance",
                "emails[type eq \"work\"].value", "adele@contoso.example",
                "displayName", "Adele Vance"));
    assertThat(user.path("active").asBoolean()).isTrue();
    assertThat(UserAttributes.read(user, "name.familyName")).isEqualTo("Vance");
    assertThat(UserAttributes.read(user, "emails[type eq \"work\"].value"))
        .isEqualTo("adele@contoso.example");
    assertThat(UserAttributes.read(user, "emails[type eq \"home\"].value")).isNull();
    assertThat(UserAttributes.read(user, "name.givenName")).isNull();
    assertThat(UserAttributes.read(user, "displayName")).isEqualTo("Adele Vance");
  }

  @Test
  void onlyKnownSimplePathsAreAccepted() {
    assertThat(ClaimMapping.validPath("phoneNumbers[type eq \"mobile\"].value")).isTrue();
    assertThat(ClaimMapping.validPath("password")).isFalse();
    assertThat(ClaimMapping.validPath("active")).isFalse();
    assertThat(ClaimMapping.validPath("emails[type eq \"work\" or 1 eq 1].value")).isFalse();
    assertThat(ClaimMapping.validPath("groups")).isFalse();
  }
}

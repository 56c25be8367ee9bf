package io.provisioninghub.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterToSqlTest {

  private static SqlCondition user(String filter) {
    return FilterToSql.translate(filter, ResourceKind.USER, 2);
  }

  @Test
  void entraUserNameLookupUsesTheLowerIndexAndBindsTheValue() {
    String value = "alice_contoso.com#EXT#@fabrikam.onmicrosoft.com";
    SqlCondition c = user("userName eq \"" + value + "\"");
    assertThat(c.sql()).isEqualTo("lower(user_name) = lower($2)");
    assertThat(c.params()).containsExactly(value);
  }

  @Test
  void attributeNamesAndOperatorsAreCaseInsensitive() {
    assertThat(user("USERNAME EQ \"Jöhn 日本\"").sql()).isEqualTo("lower(user_name) = lower($2)");
    assertThat(user("USERNAME EQ \"Jöhn 日本\"").params()).containsExactly("Jöhn 日本");
  }

  @Test
  void everyTextOperator() {
    assertThat(user("externalId eq \"E1\"").sql())
        .isEqualTo("(external_id IS NOT NULL AND external_id = $2)");
    assertThat(user("userName ne \"a\"").sql()).isEqualTo("lower(user_name) <> lower($2)");
    SqlCondition co = user("userName co \"50%_\\\\x\"");
    assertThat(co.sql()).isEqualTo("lower(user_name) LIKE lower($2)");
    assertThat(co.params()).containsExactly("%50\\%\\_\\\\x%");
    assertThat(user("userName sw \"al\"").params()).containsExactly("al%");
    assertThat(user("userName ew \"com\"").params()).containsExactly("%com");
    assertThat(user("userName gt \"m\"").sql()).isEqualTo("lower(user_name) > lower($2)");
    assertThat(user("userName ge \"m\"").sql()).isEqualTo("lower(user_name) >= lower($2)");
    assertThat(user("userName lt \"m\"").sql()).isEqualTo("lower(user_name) < lower($2)");
    assertThat(user("userName le \"m\"").sql()).isEqualTo("lower(user_name) <= lower($2)");
    assertThat(user("title pr").sql())
        .isEqualTo(
            "((resource #>> '{\"title\"}') IS NOT NULL AND (resource #>> '{\"title\"}') <> '')");
  }

  @Test
  void logicalOperatorsGroupingAndNumbering() {
    SqlCondition c =
        user("not (userName eq \"a\") and (displayName sw \"B\" or externalId eq \"c\")");
    assertThat(c.sql())
        .isEqualTo(
            "((NOT lower(user_name) = lower($2)) AND ((display_name IS NOT NULL AND"
                + " lower(display_name) LIKE lower($3)) OR (external_id IS NOT NULL AND"
                + " external_id = $4)))");
    assertThat(c.params()).containsExactly("a", "B%", "c");
  }

  @Test
  void booleansAndDates() {
    SqlCondition active = user("active eq false");
    assertThat(active.sql()).isEqualTo("(active IS NOT NULL AND active = $2)");
    assertThat(active.params()).containsExactly(false);
    SqlCondition modified = user("meta.lastModified gt \"2011-05-13T04:42:34Z\"");
    assertThat(modified.sql()).isEqualTo("last_modified > $2");
    assertThat(modified.params()).containsExactly(OffsetDateTime.parse("2011-05-13T04:42:34Z"));
    assertThat(user("meta.created le \"2024-01-01T00:00:00+01:00\"").sql())
        .isEqualTo("created <= $2");
    assertInvalid("active gt true");
    assertInvalid("active eq \"yes\"");
    assertInvalid("meta.created gt \"yesterday\"");
  }

  @Test
  void idIsComparedAsUuidAndGarbageIdsMatchNothing() {
    UUID id = UUID.randomUUID();
    SqlCondition c = user("id eq \"" + id + "\"");
    assertThat(c.sql()).isEqualTo("id = $2");
    assertThat(c.params()).containsExactly(id);
    SqlCondition bad = user("id eq \"not-a-uuid\"");
    assertThat(bad.sql()).isEqualTo("false");
    assertThat(bad.params()).isEmpty();
    assertThat(user("id sw \"abc\"").sql()).isEqualTo("lower(id::text) LIKE lower($2)");
  }

  @Test
  void emailValueEqualityUsesContainmentAndExists() {
    SqlCondition c = user("emails.value eq \"Alice@Example.com\"");
    assertThat(c.sql())
        .startsWith(
            "(resource -> 'emails' IS NOT NULL AND (lower((resource -> 'emails')::text))::jsonb @>"
                + " jsonb_build_array(jsonb_build_object('value', lower($2::text))) AND EXISTS")
        .contains("jsonb_array_elements(")
        .contains("lower((e.v ->> 'value')) = lower($3)");
    assertThat(c.params()).containsExactly("Alice@Example.com", "Alice@Example.com");
  }

  @Test
  void valuePathsOnEmails() {
    SqlCondition bracket = user("emails[type eq \"work\" and primary eq true]");
    assertThat(bracket.sql())
        .startsWith("EXISTS (SELECT 1 FROM jsonb_array_elements(")
        .contains("lower((e.v ->> 'type')) = lower($2)")
        .contains("(e.v ->> 'primary') = $3");
    assertThat(bracket.params()).containsExactly("work", "true");

    SqlCondition sub = user("emails[type eq \"work\"].value eq \"a@b.c\"");
    assertThat(sub.sql())
        .contains("lower((e.v ->> 'type')) = lower($2)")
        .contains("lower((e.v ->> 'value')) = lower($3)");
    assertThat(sub.params()).containsExactly("work", "a@b.c");
  }

  @Test
  void enterpriseAndUrnQualifiedAttributes() {
    SqlCondition dept =
        user("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq \"R&D\"");
    assertThat(dept.sql())
        .contains(
            "(resource #>> '{\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\","
                + "\"department\"}')");
    SqlCondition manager =
        user("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m\"");
    assertThat(manager.sql()).contains("\"manager\",\"value\"}')");
    assertThat(user("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw \"A\"").sql())
        .isEqualTo(
            "((resource #>> '{\"name\",\"givenName\"}') IS NOT NULL AND"
                + " lower((resource #>> '{\"name\",\"givenName\"}')) LIKE lower($2))");
  }

  @Test
  void membershipFilters() {
    SqlCondition members =
        FilterToSql.translate(
            "members.value eq \"2819c223-7f76-453a-919d-413861904646\"", ResourceKind.GROUP, 2);
    assertThat(members.sql())
        .isEqualTo(
            "EXISTS (SELECT 1 FROM scim.group_members gm WHERE gm.tenant_id = groups.tenant_id"
                + " AND gm.group_id = groups.id AND gm.member_id = $2)");
    assertThat(members.params())
        .containsExactly(UUID.fromString("2819c223-7f76-453a-919d-413861904646"));
    assertThat(FilterToSql.translate("members[value eq \"x\"]", ResourceKind.GROUP, 2).sql())
        .contains("false");
    SqlCondition groups = user("groups.value eq \"2819c223-7f76-453a-919d-413861904646\"");
    assertThat(groups.sql())
        .contains("gm.member_id = users.id")
        .contains("gm.tenant_id = users.tenant_id")
        .contains("gm.group_id = $2");
    assertThat(FilterToSql.translate("displayName eq \"Ops\"", ResourceKind.GROUP, 5).sql())
        .isEqualTo("lower(display_name) = lower($5)");
  }

  @Test
  void inputTextNeverAppearsInSql() {
    String evil = "x'); DROP TABLE scim.users; --";
    for (String f :
        List.of(
            "userName eq \"" + evil + "\"",
            "title co \"" + evil + "\"",
            "emails[type eq \"" + evil + "\"].value eq \"" + evil + "\"",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department sw \""
                + evil
                + "\"")) {
      SqlCondition c = user(f);
      assertThat(c.sql()).doesNotContain("DROP").doesNotContain(evil);
      assertThat(c.params()).isNotEmpty();
    }
  }

  @Test
  void nullComparisonsMeanPresence() {
    assertThat(user("title eq null").sql()).startsWith("(NOT (");
    assertThat(user("title ne null").sql()).startsWith("((resource");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nickname2 eq \"x\"",
        "urn:example:custom:1.0:User:costCenter eq \"x\"",
        "name.nope eq \"x\"",
        "password eq \"secret\"",
        "emails[nope eq \"x\"]",
        "name eq \"x\"",
        "a.b.c eq \"x\""
      })
  void unknownOrUnfilterableAttributesAreInvalidFilter(String filter) {
    assertInvalid(filter);
  }

  @Test
  void orderBy() {
    assertThat(FilterToSql.orderBy("userName", "Descending", ResourceKind.USER))
        .isEqualTo("lower(user_name) DESC NULLS LAST, id DESC");
    assertThat(FilterToSql.orderBy("meta.created", null, ResourceKind.USER))
        .isEqualTo("created ASC NULLS LAST, id ASC");
    assertThat(FilterToSql.orderBy("name.familyName", "ascending", ResourceKind.USER))
        .isEqualTo("lower((resource #>> '{\"name\",\"familyName\"}')) ASC NULLS LAST, id ASC");
    assertThat(FilterToSql.orderBy("emails", "ascending", ResourceKind.USER))
        .contains("ORDER BY (e.v ->> 'primary') = 'true' DESC")
        .endsWith(", id ASC");
    assertThat(FilterToSql.orderBy(null, null, ResourceKind.GROUP))
        .isEqualTo("created ASC, id ASC");
    assertThatThrownBy(() -> FilterToSql.orderBy("shoeSize", null, ResourceKind.USER))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> FilterToSql.orderBy("userName", "up", ResourceKind.USER))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> assertThat(e.scimType()).isEqualTo(ScimType.invalidValue));
  }

  @Test
  void fuzzNeverThrowsAnythingButScimException() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab eqcoswprgtlnd()[]\".\\:_$ 0truefalsenull&|émailsuserName";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(40);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String f = sb.toString();
      try {
        FilterToSql.translate(f, i % 2 == 0 ? ResourceKind.USER : ResourceKind.GROUP, 2);
      } catch (ScimException e) {
        assertThat(e.status()).isEqualTo(400);
      }
    }
    assertInvalid("(".repeat(5000) + "a eq 1" + ")".repeat(5000));
    assertInvalid("x".repeat(100_000));
    assertInvalid("");
  }

  private static void assertInvalid(String filter) {
    assertThatThrownBy(() -> user(filter))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
              assertThat(e.detail()).isNotBlank();
            });
  }
}

package io.provisioninghub.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.FilterType;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScimFiltersTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "userName eq \"a\"|EQUAL",
        "userName NE \"a\"|NOT_EQUAL",
        "userName Co \"a\"|CONTAINS",
        "userName sw \"a\"|STARTS_WITH",
        "userName ew \"a\"|ENDS_WITH",
        "title pr|PRESENT",
        "meta.created gt \"2020-01-01T00:00:00Z\"|GREATER_THAN",
        "meta.created ge \"2020-01-01T00:00:00Z\"|GREATER_OR_EQUAL",
        "meta.created lt \"2020-01-01T00:00:00Z\"|LESS_THAN",
        "meta.created le \"2020-01-01T00:00:00Z\"|LESS_OR_EQUAL",
        "a eq 1 and b eq 2|AND",
        "a eq 1 OR b eq 2|OR",
        "not (a eq 1)|NOT",
        "emails[type eq \"work\"]|COMPLEX_VALUE"
      })
  void everyOperator(String filter, FilterType type) {
    assertThat(ScimFilters.parse(filter).getFilterType()).isEqualTo(type);
  }

  @Test
  void entraAndNonAsciiValues() {
    Filter f = ScimFilters.parse("userName eq \"alice_contoso.com#EXT#@fabrikam.onmicrosoft.com\"");
    assertThat(f.getComparisonValue().textValue())
        .isEqualTo("alice_contoso.com#EXT#@fabrikam.onmicrosoft.com");
    assertThat(
            ScimFilters.parse("displayName eq \"Zoë 北京 Ørsted\"").getComparisonValue().textValue())
        .isEqualTo("Zoë 北京 Ørsted");
  }

  @Test
  void valuePathWithSubAttributeIsRewrittenIntoTheBracket() {
    Filter f = ScimFilters.parse("emails[type eq \"work\" or type eq \"home\"].value sw \"a]b\"");
    assertThat(f.getFilterType()).isEqualTo(FilterType.COMPLEX_VALUE);
    assertThat(f.getValueFilter().toString())
        .isEqualTo("((type eq \"work\" or type eq \"home\") and value sw \"a]b\")");
    assertThat(ScimFilters.parse("emails[type eq \"work\"].value pr").getValueFilter().toString())
        .isEqualTo("(type eq \"work\" and value pr)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userName eq",
        "userName eq 'single'",
        "((userName eq \"a\")",
        "userName xx \"a\"",
        "userName eq \"unterminated",
        "and",
        "emails[type eq \"work\"",
        "a[b[c eq 1]]",
        "   "
      })
  void syntaxErrorsAreInvalidFilterWithReadableDetail(String filter) {
    assertThatThrownBy(() -> ScimFilters.parse(filter))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
              assertThat(e.detail()).doesNotContain("[Source").doesNotContain("\n");
            });
  }
}

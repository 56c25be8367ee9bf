package io.provisioninghub.scim.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.schema.ResourceKind;
import java.util.Collections;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilterCostTest {

  private static String ors(int n, String op) {
    return IntStream.range(0, n)
        .mapToObj(i -> "userName " + op + " \"u" + i + "\"")
        .collect(Collectors.joining(" or "));
  }

  /** {@code depth} levels: alternating and/or, each in parentheses, around one comparison. */
  private static String nested(int depth) {
    String f = "userName eq \"x\"";
    for (int level = 1; level < depth; level++) {
      f = "title eq \"t" + level + "\" " + (level % 2 == 0 ? "and" : "or") + " (" + f + ")";
    }
    return f;
  }

  private static void assertRefused(String filter, String... detailParts) {
    assertThatThrownBy(() -> FilterToSql.translate(filter, ResourceKind.USER, 2))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.scimType()).isEqualTo(ScimType.invalidFilter);
              assertThat(e.detail()).contains(detailParts);
            });
  }

  @Test
  void comparisonsUpToTheLimitAreTranslated() {
    assertThat(
            FilterToSql.translate(ors(FilterCost.MAX_COMPARISONS, "eq"), ResourceKind.USER, 2)
                .params())
        .hasSize(FilterCost.MAX_COMPARISONS);
  }

  @Test
  void oneComparisonTooManyIsRefusedNamingTheLimit() {
    assertRefused(
        ors(FilterCost.MAX_COMPARISONS + 1, "eq"),
        (FilterCost.MAX_COMPARISONS + 1) + " comparisons",
        "at most " + FilterCost.MAX_COMPARISONS);
  }

  @Test
  void comparisonsInsideValueFiltersCount() {
    String inner =
        IntStream.range(0, FilterCost.MAX_COMPARISONS)
            .mapToObj(i -> "value eq \"a" + i + "@x\"")
            .collect(Collectors.joining(" or "));
    assertRefused("userName eq \"a\" and emails[" + inner + "]", "comparisons");
  }

  @ParameterizedTest
  @ValueSource(strings = {"co", "sw", "ew"})
  void substringComparisonsHaveTheirOwnLimit(String op) {
    FilterToSql.translate(ors(FilterCost.MAX_SUBSTRING_COMPARISONS, op), ResourceKind.USER, 2);
    assertRefused(
        ors(FilterCost.MAX_SUBSTRING_COMPARISONS + 1, op),
        "co/sw/ew comparisons",
        "at most " + FilterCost.MAX_SUBSTRING_COMPARISONS);
  }

  @Test
  void nestingUpToTheLimitIsTranslatedAndDeeperIsRefused() {
    FilterToSql.translate(nested(FilterCost.MAX_NESTING), ResourceKind.USER, 2);
    assertRefused(
        nested(FilterCost.MAX_NESTING + 1),
        "nests " + (FilterCost.MAX_NESTING + 1) + " levels",
        "at most " + FilterCost.MAX_NESTING);
  }

  @Test
  void notAndValueFiltersAreLevelsButRedundantParenthesesAreNot() {
    String nots =
        String.join("", Collections.nCopies(FilterCost.MAX_NESTING, "not ("))
            + "userName eq \"x\""
            + ")".repeat(FilterCost.MAX_NESTING);
    assertRefused(nots, "nests " + (FilterCost.MAX_NESTING + 1) + " levels");
    String parens = "(".repeat(20) + "userName eq \"x\"" + ")".repeat(20);
    assertThat(FilterToSql.translate(parens, ResourceKind.USER, 2).params()).hasSize(1);
  }

  @Test
  void aLongChainOfOneOperatorIsOneLevel() {
    // 40 alternatives are one "or" level, not 40 levels.
    assertThat(FilterToSql.translate(ors(40, "eq"), ResourceKind.USER, 2).params()).hasSize(40);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userName eq \"a\u0000b\"",
        "userName eq \"a\\u0000b\"",
        "emails[value eq \"x\\u0000\"]",
      })
  void nulInAValueIsInvalidFilter(String filter) {
    assertRefused(filter, "NUL character (U+0000)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "userName eq \"a\uD800b\"",
        "userName eq \"a\uDC00\"",
        "userName eq \"a\\ud800b\"",
        "userName eq \"\\udfff\"",
      })
  void loneSurrogateInAValueIsInvalidFilter(String filter) {
    assertRefused(filter, "unpaired UTF-16 surrogate");
  }

  @Test
  void aSurrogatePairIsAValidCharacter() {
    assertThat(
            FilterToSql.translate(
                    "displayName eq \"\uD83D\uDE00 \\ud83d\\ude00\"", ResourceKind.USER, 2)
                .params())
        .containsExactly("\uD83D\uDE00 \uD83D\uDE00");
  }
}

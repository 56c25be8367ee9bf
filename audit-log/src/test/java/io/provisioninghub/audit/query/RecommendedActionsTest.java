package io.provisioninghub.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.audit.ingest.AuditOperation;
import io.provisioninghub.audit.ingest.AuditStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recommended action for every resource type, status and scimType: a table of expected advice,
 * and the invariants over the whole cross product (advice never names a user or a group the row is
 * not about, and every status the gateway or the processor answers has advice of its own).
 */
class RecommendedActionsTest {

  private static final AuditStatus F = AuditStatus.FAILURE;
  private static final AuditStatus R = AuditStatus.REJECTED;
  private static final AuditOperation READ = AuditOperation.READ;

  static Stream<Arguments> table() {
    return Stream.of(
        row(F, 409, "uniqueness", AuditOperation.CREATE, "User", "userName already exists"),
        row(F, 409, "uniqueness", AuditOperation.CREATE, "Group", "a group with this displayName"),
        row(F, 409, null, AuditOperation.PATCH, "User", "conflicts with what the application"),
        row(F, 404, null, AuditOperation.DISABLE, "User", "the user was deleted"),
        row(F, 404, null, AuditOperation.DELETE, "User", "the user was deleted"),
        row(F, 404, null, AuditOperation.MEMBERSHIP_ADD, "Group", "the group was deleted"),
        row(R, 404, null, AuditOperation.PATCH, "Group", "the group was deleted"),
        row(R, 404, null, READ, "User", "read a user id the application does not have"),
        row(R, 404, null, READ, "Group", "read a group id the application does not have"),
        row(R, 404, null, READ, "Schema", "schema the application does not serve"),
        row(R, 404, null, READ, "ResourceType", "resource type the application does not serve"),
        row(R, 404, null, AuditOperation.CREATE, "Bulk", "does not accept bulk requests"),
        row(R, 404, null, READ, null, "tenant URL"),
        row(R, 404, null, READ, "ServiceProviderConfig", "tenant URL"),
        row(R, 400, "invalidFilter", READ, "User", "filter the application does not support"),
        row(R, 400, "invalidFilter", READ, "Schema", "discovery endpoint"),
        row(R, 400, "invalidValue", AuditOperation.CREATE, "User", "attribute value was refused"),
        row(R, 400, "mutability", AuditOperation.REPLACE, "User", "read-only attribute"),
        row(R, 400, "invalidPath", AuditOperation.PATCH, "Group", "attribute path is unknown"),
        row(R, 400, "noTarget", AuditOperation.PATCH, "User", "attribute path is unknown"),
        row(R, 400, "invalidSyntax", AuditOperation.CREATE, "User", "not valid SCIM"),
        row(R, 400, "invalidSyntax", AuditOperation.CREATE, "Bulk", "bulk request was not valid"),
        row(R, 400, "tooMany", READ, "User", "too many results"),
        row(R, 400, "invalidVers", AuditOperation.REPLACE, "User", "ETag"),
        row(R, 400, "sensitive", READ, "User", "sensitive data"),
        row(R, 400, "invalidCursor", READ, "User", "cursor"),
        row(R, 400, "expiredCursor", READ, "Group", "cursor"),
        row(R, 400, null, AuditOperation.CREATE, "User", "refused as invalid"),
        row(R, 401, null, READ, "Schema", "SCIM token was refused"),
        row(R, 401, null, AuditOperation.CREATE, "User", "SCIM token was refused"),
        row(R, 403, null, AuditOperation.CREATE, "User", "suspended this tenant"),
        row(R, 412, null, AuditOperation.REPLACE, "User", "no action needed"),
        row(R, 413, null, AuditOperation.PATCH, "Group", "split large group membership"),
        row(R, 413, null, AuditOperation.CREATE, "User", "unusually large value"),
        row(R, 413, null, AuditOperation.CREATE, "Bulk", "bulk.maxOperations"),
        row(R, 414, null, READ, "User", "URL was over the length limit"),
        row(R, 429, null, READ, "ResourceType", "reduce the sync rate"),
        row(R, 429, null, AuditOperation.CREATE, "User", "Retry-After"),
        row(R, 431, null, READ, null, "headers were over the size limit"),
        row(R, 405, null, AuditOperation.REPLACE, "User", "HTTP method"),
        row(R, 415, null, AuditOperation.CREATE, "User", "application/scim+json"),
        row(R, 501, null, AuditOperation.CREATE, "Bulk", "does not implement"),
        row(F, 503, null, AuditOperation.PATCH, "User", "transient; the identity provider retries"),
        row(F, 500, null, AuditOperation.PATCH, "User", "internal error"));
  }

  @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
  @MethodSource("table")
  void adviceFitsTheStatusAndWhatWasAddressed(
      AuditStatus status,
      Integer http,
      String scimType,
      AuditOperation op,
      String type,
      String expected) {
    assertThat(action(status, http, scimType, op, type)).contains(expected);
  }

  @Test
  void successNeedsNoActionAndPendingOrDeadLetteredSaySo() {
    assertThat(action(AuditStatus.SUCCESS, 201, null, AuditOperation.CREATE, "User")).isNull();
    assertThat(action(AuditStatus.PENDING, null, null, AuditOperation.CREATE, "User"))
        .startsWith("no outcome yet");
    assertThat(
            RecommendedActions.forFacts(
                new RecommendedActions.Facts(
                    F, null, null, AuditOperation.CREATE, "User", /* deadLettered */ true)))
        .contains("contact support with the command id");
  }

  /** Every status the gateway or the processor answers, with each scimType a 400 can carry. */
  static List<Object[]> statuses() {
    List<Object[]> out = new ArrayList<>();
    out.add(new Object[] {400, null});
    for (String scimType :
        List.of(
            "invalidFilter",
            "tooMany",
            "uniqueness",
            "mutability",
            "invalidSyntax",
            "invalidPath",
            "noTarget",
            "invalidValue",
            "invalidVers",
            "sensitive",
            "invalidCursor",
            "expiredCursor")) {
      out.add(new Object[] {400, scimType});
    }
    for (int http : new int[] {401, 403, 404, 405, 406, 412, 413, 414, 415, 429, 431, 500, 501}) {
      out.add(new Object[] {http, null});
    }
    out.add(new Object[] {409, "uniqueness"});
    out.add(new Object[] {409, null});
    out.add(new Object[] {503, null});
    return out;
  }

  static final List<String> TYPES =
      Arrays.asList(
          "User", "Group", "Schema", "ResourceType", "ServiceProviderConfig", "Bulk", null);

  @Test
  void noAdviceNamesAUserOrGroupTheRowIsNotAboutAndNoStatusFallsToTheCatchAll() {
    List<String> wrong = new ArrayList<>();
    for (String type : TYPES) {
      for (Object[] s : statuses()) {
        for (AuditOperation op : ops()) {
          for (AuditStatus status : List.of(F, R)) {
            int http = (Integer) s[0];
            String scimType = (String) s[1];
            String advice = action(status, http, scimType, op, type);
            String where = type + " " + op + " " + http + " " + scimType + ": " + advice;
            if (advice == null || advice.startsWith("check the reason")) {
              wrong.add("no specific advice for " + where);
              continue;
            }
            String lower = advice.toLowerCase(Locale.ROOT);
            if (!"User".equals(type)
                && (lower.contains("user was deleted")
                    || lower.contains("this user")
                    || lower.contains("a user id")
                    || lower.contains("username already exists"))) {
              wrong.add("names a user for " + where);
            }
            if (!"Group".equals(type)
                && (lower.contains("group was deleted")
                    || lower.contains("this group")
                    || lower.contains("a group id")
                    || lower.contains("a group with this displayname")
                    || lower.contains("group membership"))) {
              wrong.add("names a group for " + where);
            }
            if (!"Bulk".equals(type) && lower.contains("bulk")) {
              wrong.add("names bulk for " + where);
            }
            if (!"Schema".equals(type) && lower.contains("schema the application")) {
              wrong.add("names a schema for " + where);
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static List<AuditOperation> ops() {
    List<AuditOperation> ops = new ArrayList<>(Arrays.asList(AuditOperation.values()));
    ops.add(null);
    return ops;
  }

  private static Arguments row(
      AuditStatus status,
      Integer http,
      String scimType,
      AuditOperation op,
      String type,
      String expected) {
    return Arguments.of(status, http, scimType, op, type, expected);
  }

  private static String action(
      AuditStatus status, Integer http, String scimType, AuditOperation op, String type) {
    return RecommendedActions.forFacts(
        new RecommendedActions.Facts(status, http, scimType, op, type, false));
  }
}

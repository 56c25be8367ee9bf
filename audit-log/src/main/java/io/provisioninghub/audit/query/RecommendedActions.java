package io.provisioninghub.audit.query;

import io.provisioninghub.audit.ingest.AuditOperation;
import io.provisioninghub.audit.ingest.AuditStatus;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the customer's admin should do about an operation, as a rule table on status, HTTP status,
 * scimType and operation; the first matching rule wins. Derived when read, so better advice also
 * applies to rows stored before it was written.
 */
public final class RecommendedActions {

  /** The facts a rule looks at. */
  public record Facts(
      AuditStatus status,
      Integer httpStatus,
      String scimType,
      AuditOperation operation,
      String resourceType,
      boolean deadLettered) {

    boolean http(int code) {
      return httpStatus != null && httpStatus == code;
    }

    boolean scim(String type) {
      return type.equalsIgnoreCase(scimType);
    }

    boolean isGroup() {
      return "Group".equals(resourceType);
    }

    boolean isUpdateOrDelete() {
      return operation != null && operation != AuditOperation.CREATE;
    }
  }

  private record Rule(Predicate<Facts> when, Function<Facts, String> action) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(f -> f.status() == AuditStatus.SUCCESS, f -> null),
          new Rule(
              f -> f.deadLettered() && f.httpStatus() == null,
              f ->
                  "none for now: the identity provider retries; if the same object keeps failing,"
                      + " contact support with the command id"),
          new Rule(
              f -> f.status() == AuditStatus.PENDING,
              f ->
                  "no outcome yet; look again in a minute (the identity provider retries if it"
                      + " got no answer)"),
          new Rule(
              f -> f.http(409) && f.scim("uniqueness") && f.isGroup(),
              f ->
                  "a group with this displayName already exists in this tenant; rename one of the"
                      + " groups or check the group matching attribute in your provisioning"
                      + " mappings"),
          new Rule(
              f -> f.http(409) && f.scim("uniqueness"),
              f ->
                  "userName already exists in this tenant; check the matching attribute in your"
                      + " provisioning mappings, or remove the duplicate user in the application"),
          new Rule(
              f -> f.http(400) && f.scim("invalidFilter"),
              f ->
                  "the identity provider queried with a filter the application does not support;"
                      + " check the matching attribute in your provisioning mappings"),
          new Rule(
              f -> f.http(400) && f.scim("invalidValue"),
              f ->
                  "an attribute value was refused; the reason says why (for example a"
                      + " character that cannot be stored, or a value too long); check the"
                      + " attribute mapping or expression that produces it"),
          new Rule(
              f -> f.http(400) && f.scim("mutability"),
              f ->
                  "the request tried to change a read-only attribute such as id; remove that"
                      + " attribute from your provisioning mappings"),
          new Rule(
              f -> f.http(400) && (f.scim("invalidPath") || f.scim("noTarget")),
              f ->
                  "an attribute path is unknown to the application; check the target attribute"
                      + " names in your provisioning mappings"),
          new Rule(
              f -> f.http(400) && f.scim("invalidSyntax"),
              f ->
                  "the request was not valid SCIM; check custom attribute mappings and"
                      + " expressions for this object"),
          new Rule(
              f -> f.http(400) && f.scim("tooMany"),
              f -> "the query matched too many results; narrow the scope or the filter"),
          new Rule(
              f -> f.http(404) && f.isUpdateOrDelete() && f.isGroup(),
              f ->
                  "the group was deleted in the application; restart provisioning for this group"
                      + " so the identity provider creates it again"),
          new Rule(
              f -> f.http(404) && f.isUpdateOrDelete(),
              f ->
                  "the user was deleted in the application; restart provisioning for this user"
                      + " (or clear its provisioning state) so the identity provider creates it"
                      + " again"),
          new Rule(
              f -> f.http(404),
              f -> "the resource does not exist in the application; check the object's scope"),
          new Rule(
              f -> f.http(412),
              f ->
                  "the resource changed since the identity provider last read it; no action"
                      + " needed, the next sync cycle retries with the current version"),
          new Rule(
              f -> f.http(429),
              f ->
                  "reduce the sync rate: the tenant exceeds its request limit; the identity"
                      + " provider retries, but narrow the provisioning scope if this persists"),
          new Rule(
              f -> f.http(401),
              f ->
                  "the SCIM token was refused; generate a new token in the application, enter it"
                      + " in the identity provider's provisioning credentials and test the"
                      + " connection"),
          new Rule(
              f -> f.http(403),
              f -> "the token is not allowed for this tenant; check the tenant URL and the token"),
          new Rule(
              f -> f.http(413),
              f -> "the request was too large; split large group membership changes"),
          new Rule(
              f -> f.httpStatus() != null && f.httpStatus() >= 500,
              f ->
                  "transient; the identity provider retries. Contact support if it persists for"
                      + " more than an hour"),
          new Rule(
              f -> true,
              f -> "check the reason; if it is unclear, contact support with the command id"));

  private RecommendedActions() {}

  public static String forFacts(Facts facts) {
    for (Rule rule : RULES) {
      if (rule.when().test(facts)) {
        return rule.action().apply(facts);
      }
    }
    return null;
  }
}

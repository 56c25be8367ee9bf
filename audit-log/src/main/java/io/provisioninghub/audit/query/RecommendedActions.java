package io.provisioninghub.audit.query;

import io.provisioninghub.audit.ingest.AuditOperation;
import io.provisioninghub.audit.ingest.AuditStatus;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the customer's admin should do about an operation, as a rule table on status, HTTP status,
 * scimType, operation and what the request addressed (a user, a group, a discovery document, the
 * bulk endpoint, or an endpoint the gateway could not name); the first matching rule wins. Derived
 * when read, so better advice also applies to rows stored before it was written.
 *
 * <p>Advice names a user or a group only when the row is about one: a 404 on {@code /Schemas/{urn}}
 * is not a deleted user.
 */
public final class RecommendedActions {

  /** What a request addressed, from the row's resource type. */
  public enum Subject {
    USER,
    GROUP,
    SCHEMA,
    RESOURCE_TYPE,
    SERVICE_PROVIDER_CONFIG,
    BULK,
    /** A row without a resource type: an endpoint the gateway could not name, or an old row. */
    UNKNOWN;

    /** The subject of a stored resource type ({@code User}, {@code Schema}, ...; null allowed). */
    public static Subject of(String resourceType) {
      if (resourceType == null) {
        return UNKNOWN;
      }
      return switch (resourceType) {
        case "User" -> USER;
        case "Group" -> GROUP;
        case "Schema" -> SCHEMA;
        case "ResourceType" -> RESOURCE_TYPE;
        case "ServiceProviderConfig" -> SERVICE_PROVIDER_CONFIG;
        case "Bulk" -> BULK;
        default -> UNKNOWN;
      };
    }

    boolean isDiscovery() {
      return this == SCHEMA || this == RESOURCE_TYPE || this == SERVICE_PROVIDER_CONFIG;
    }
  }

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

    Subject subject() {
      return Subject.of(resourceType);
    }

    boolean about(Subject subject) {
      return subject() == subject;
    }

    /** A change to an existing user or group (not a create, not a refused read). */
    boolean changesExisting() {
      return operation != null
          && operation != AuditOperation.CREATE
          && operation != AuditOperation.READ;
    }

    boolean isRead() {
      return operation == AuditOperation.READ;
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
          // Authentication, tenant state and limits: the same whatever the request addressed.
          new Rule(
              f -> f.http(401),
              f ->
                  "the SCIM token was refused; generate a new token in the application, enter it"
                      + " in the identity provider's provisioning credentials and test the"
                      + " connection"),
          new Rule(
              f -> f.http(403),
              f ->
                  "the token is valid but the application has suspended this tenant; ask the"
                      + " application's operator to reactivate the tenant, then restart"
                      + " provisioning"),
          new Rule(
              f -> f.http(429),
              f ->
                  "reduce the sync rate: the tenant exceeded its request limit; the identity"
                      + " provider waits as told by Retry-After and retries, so nothing is lost;"
                      + " if this persists, narrow the provisioning scope or ask the application's"
                      + " operator to raise the tenant's limit"),
          new Rule(
              f -> f.http(431),
              f ->
                  "the request headers were over the size limit; check what the client adds to"
                      + " every request (an unusually large token or custom headers)"),
          new Rule(
              f -> f.http(414),
              f ->
                  "the request URL was over the length limit, usually a long filter or attribute"
                      + " list; shorten the filter, or request fewer attributes"),
          new Rule(
              f -> f.http(413) && f.about(Subject.BULK),
              f ->
                  "the bulk request had more operations or bytes than the application accepts"
                      + " (bulk.maxOperations and bulk.maxPayloadSize in ServiceProviderConfig);"
                      + " configure the client to send smaller batches"),
          new Rule(
              f -> f.http(413) && f.about(Subject.GROUP),
              f ->
                  "the request was too large; split large group membership changes into several"
                      + " smaller requests"),
          new Rule(
              f -> f.http(413),
              f ->
                  "the request body was over the size limit; check the mappings for an unusually"
                      + " large value (for example a photo or a long multi-valued attribute)"),
          new Rule(
              f -> f.http(412),
              f ->
                  "the resource changed since the identity provider last read it; no action"
                      + " needed, the next sync cycle retries with the current version"),
          // Conflicts.
          new Rule(
              f -> f.http(409) && f.scim("uniqueness") && f.about(Subject.GROUP),
              f ->
                  "a group with this displayName already exists in this tenant; rename one of the"
                      + " groups or check the group matching attribute in your provisioning"
                      + " mappings"),
          new Rule(
              f -> f.http(409) && f.scim("uniqueness") && f.about(Subject.USER),
              f ->
                  "userName already exists in this tenant; check the matching attribute in your"
                      + " provisioning mappings, or remove the duplicate user in the application"),
          new Rule(
              f -> f.http(409),
              f ->
                  "the request conflicts with what the application holds; the reason names the"
                      + " value; check the matching attribute in your provisioning mappings"),
          // Bad requests, by scimType.
          new Rule(
              f -> f.http(400) && f.scim("invalidFilter") && f.subject().isDiscovery(),
              f ->
                  "the identity provider sent a filter to a discovery endpoint, which takes none;"
                      + " check the client's configuration"),
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
              f -> f.http(400) && f.scim("invalidSyntax") && f.about(Subject.BULK),
              f ->
                  "the bulk request was not valid SCIM (RFC 7644 section 3.7); check the client's"
                      + " bulk support, or let it send single requests"),
          new Rule(
              f -> f.http(400) && f.scim("invalidSyntax"),
              f ->
                  "the request was not valid SCIM; check custom attribute mappings and"
                      + " expressions for this object"),
          new Rule(
              f -> f.http(400) && f.scim("tooMany"),
              f -> "the query matched too many results; narrow the scope or the filter"),
          new Rule(
              f -> f.http(400) && f.scim("invalidVers"),
              f ->
                  "the request carried a version (If-Match) the application cannot read; the"
                      + " client must send the ETag exactly as the application returned it"),
          new Rule(
              f -> f.http(400) && f.scim("sensitive"),
              f ->
                  "the request put sensitive data (such as a password) in the URL; check the"
                      + " matching attribute in your provisioning mappings"),
          new Rule(
              f -> f.http(400) && (f.scim("invalidCursor") || f.scim("expiredCursor")),
              f ->
                  "the client paged with a cursor the application did not issue; no action"
                      + " needed if the next sync cycle succeeds, else check the client's paging"),
          new Rule(
              f -> f.http(400),
              f ->
                  "the request was refused as invalid; the reason says what to fix in the"
                      + " provisioning mappings"),
          // Not found: what is missing depends on what was addressed.
          new Rule(
              f -> f.http(404) && f.changesExisting() && f.about(Subject.GROUP),
              f ->
                  "the group was deleted in the application; restart provisioning for this group"
                      + " so the identity provider creates it again"),
          new Rule(
              f -> f.http(404) && f.changesExisting() && f.about(Subject.USER),
              f ->
                  "the user was deleted in the application; restart provisioning for this user"
                      + " (or clear its provisioning state) so the identity provider creates it"
                      + " again"),
          new Rule(
              f -> f.http(404) && f.isRead() && f.about(Subject.USER),
              f ->
                  "the identity provider read a user id the application does not have; none if"
                      + " the user was just deleted (validators check exactly this), otherwise"
                      + " restart provisioning for this user so it is created again"),
          new Rule(
              f -> f.http(404) && f.isRead() && f.about(Subject.GROUP),
              f ->
                  "the identity provider read a group id the application does not have; none if"
                      + " the group was just deleted (validators check exactly this), otherwise"
                      + " restart provisioning for this group so it is created again"),
          new Rule(
              f -> f.http(404) && f.about(Subject.SCHEMA),
              f ->
                  "the identity provider asked for a schema the application does not serve for"
                      + " this tenant; compare the schema URN of custom extension attributes in"
                      + " your attribute mappings with the list under /Schemas"),
          new Rule(
              f -> f.http(404) && f.about(Subject.RESOURCE_TYPE),
              f ->
                  "the identity provider asked for a resource type the application does not"
                      + " serve (it serves User and Group); check which object types your"
                      + " provisioning is configured for"),
          new Rule(
              f -> f.http(404) && f.about(Subject.BULK),
              f ->
                  "the application does not accept bulk requests at this URL (see bulk.supported"
                      + " in ServiceProviderConfig); configure the client to send single"
                      + " requests"),
          new Rule(
              f -> f.http(404),
              f ->
                  "the identity provider addressed something the application does not have;"
                      + " check that the tenant URL in the provisioning credentials ends in"
                      + " /scim/v2, and the object's scope"),
          new Rule(
              f -> f.http(405),
              f ->
                  "the endpoint does not accept this HTTP method; check the client's SCIM"
                      + " settings (for example PATCH rather than PUT for updates)"),
          new Rule(
              f -> f.http(406) || f.http(415),
              f ->
                  "the client's media type was refused; it must send and accept"
                      + " application/scim+json or application/json"),
          new Rule(
              f -> f.http(501),
              f ->
                  "the client used a SCIM feature the application does not implement; see what"
                      + " ServiceProviderConfig advertises and turn that feature off in the client"),
          new Rule(
              f -> f.http(502) || f.http(503) || f.http(504),
              f ->
                  "transient; the identity provider retries. Contact support if it persists for"
                      + " more than an hour"),
          new Rule(
              f -> f.httpStatus() != null && f.httpStatus() >= 500,
              f ->
                  "an internal error in the application; the identity provider retries; contact"
                      + " support with the command id if it recurs"),
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

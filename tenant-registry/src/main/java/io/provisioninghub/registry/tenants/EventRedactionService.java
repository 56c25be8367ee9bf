package io.provisioninghub.registry.tenants;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.publish.TenantPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Which attribute values a tenant keeps out of its provisioning events: stored, and published in
 * the tenant's snapshot before the change commits, like every other tenant change. Gateways stamp
 * the list on each command; the processor leaves those values out of the events it publishes (their
 * names stay in {@code changedAttributes}).
 */
@ApplicationScoped
public class EventRedactionService {

  private static final Logger LOG = Logger.getLogger(EventRedactionService.class);

  static final int MAX_ATTRIBUTES = 100;

  /** A core attribute name (RFC 7643 §2.1 ATTRNAME) or an extension URN, optionally ":attr". */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z][A-Za-z0-9_$-]{0,127}|urn:[A-Za-z0-9][A-Za-z0-9:._$-]{1,299}");

  /** The document of {@code /admin/v1/tenants/{id}/event-redaction}. */
  @Schema(name = "EventRedaction")
  public record EventRedaction(
      @Schema(
              description =
                  "attribute names whose values events leave out: a core attribute (emails),"
                      + " an extension attribute (urn:...:User:employeeNumber) or a whole"
                      + " extension (its URN); matched case-insensitively; empty: none")
          List<String> attributes) {}

  private final Db db;
  private final TenantStore tenants;
  private final EventRedactionStore store;
  private final TenantPublisher publisher;
  private final AdminChangeLog changes;

  public EventRedactionService(
      Db db,
      TenantStore tenants,
      EventRedactionStore store,
      TenantPublisher publisher,
      AdminChangeLog changes) {
    this.db = db;
    this.tenants = tenants;
    this.store = store;
    this.publisher = publisher;
    this.changes = changes;
  }

  public EventRedaction get(String id) {
    return new EventRedaction(
        db.inTransaction(
            c -> store.find(c, id).orElseThrow(() -> notFound("no tenant '" + id + "'"))));
  }

  public EventRedaction replace(String id, EventRedaction body) {
    List<String> attributes = validated(body);
    db.inTransaction(
        c -> {
          changes.record(c, "tenant.event-redaction.set", id, null);
          TenantRow current =
              tenants.find(c, id, true).orElseThrow(() -> notFound("no tenant '" + id + "'"));
          TenantService.requireNotDeleting(current);
          store.update(c, id, attributes);
          tenants.touch(c, id, TenantPublisher.now());
          publisher.publish(c, id);
          return null;
        });
    LOG.infof("tenant %s redacts %d attributes from its events", id, attributes.size());
    return new EventRedaction(attributes);
  }

  /** The names as sent, without repeats (case-insensitively), each a well-formed name. */
  static List<String> validated(EventRedaction body) {
    if (body == null || body.attributes() == null) {
      throw badRequest("send a JSON body with 'attributes' (a list of names, may be empty)");
    }
    if (body.attributes().size() > MAX_ATTRIBUTES) {
      throw badRequest("at most " + MAX_ATTRIBUTES + " attributes may be redacted");
    }
    List<String> out = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (String name : body.attributes()) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw badRequest(
            "'"
                + name
                + "' is not an attribute name: use a core attribute (emails), an extension's"
                + " attribute (urn:...:User:employeeNumber) or an extension's URN");
      }
      if (seen.add(name.toLowerCase(Locale.ROOT))) {
        out.add(name);
      }
    }
    return List.copyOf(out);
  }
}

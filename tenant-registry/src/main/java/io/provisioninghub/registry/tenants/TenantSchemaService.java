package io.provisioninghub.registry.tenants;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.contracts.ExtensionSchema;
import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.publish.TenantPublisher;
import io.provisioninghub.registry.tenants.TenantSchemaStore.Declared;
import io.provisioninghub.scim.schema.TenantSchemas;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Declaring a tenant's own extension schemas: validated with the same code the gateways build them
 * with (scim-core {@link TenantSchemas}), stored, and published in the tenant's snapshot before the
 * change commits, like every other tenant change.
 */
@ApplicationScoped
public class TenantSchemaService {

  private static final Logger LOG = Logger.getLogger(TenantSchemaService.class);

  /** The document of {@code /admin/v1/tenants/{id}/schemas}. */
  @Schema(name = "ExtensionSettings")
  public record ExtensionSettings(
      @Schema(
              description =
                  "refuse (400) attributes of extension schemas not declared here; default false:"
                      + " they are stored and returned as sent")
          Boolean strict,
      @Schema(description = "the tenant's extension schemas; an empty list removes them all")
          List<ExtensionSchema> schemas) {}

  private final Db db;
  private final TenantStore tenants;
  private final TenantSchemaStore schemas;
  private final TenantPublisher publisher;
  private final AdminChangeLog changes;

  public TenantSchemaService(
      Db db,
      TenantStore tenants,
      TenantSchemaStore schemas,
      TenantPublisher publisher,
      AdminChangeLog changes) {
    this.db = db;
    this.tenants = tenants;
    this.schemas = schemas;
    this.publisher = publisher;
    this.changes = changes;
  }

  public ExtensionSettings get(String id) {
    Declared declared =
        db.inTransaction(
            c -> schemas.find(c, id).orElseThrow(() -> notFound("no tenant '" + id + "'")));
    return new ExtensionSettings(declared.strict(), declared.schemas());
  }

  public ExtensionSettings replace(String id, ExtensionSettings settings) {
    if (settings == null || settings.schemas() == null) {
      throw badRequest("send a JSON body with 'schemas' (a list, may be empty) and 'strict'");
    }
    boolean strict = Boolean.TRUE.equals(settings.strict());
    try {
      TenantSchemas.of(settings.schemas(), strict);
    } catch (TenantSchemas.InvalidSchemaException e) {
      throw badRequest(e.getMessage());
    }
    Declared declared = new Declared(settings.schemas(), strict);
    db.inTransaction(
        c -> {
          changes.record(c, "tenant.schemas.set", id, null);
          TenantRow current =
              tenants.find(c, id, true).orElseThrow(() -> notFound("no tenant '" + id + "'"));
          TenantService.requireNotDeleting(current);
          schemas.update(c, id, declared);
          tenants.touch(c, id, TenantPublisher.now());
          publisher.publish(c, id);
          return null;
        });
    LOG.infof(
        "tenant %s declared %d extension schemas (strict %s)",
        id, settings.schemas().size(), strict);
    return new ExtensionSettings(strict, settings.schemas());
  }
}

package io.provisioninghub.gateway.users;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.ContractJson;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads users straight from PostgreSQL, always within the caller's tenant. */
@ApplicationScoped
public class UserReads {

  private static final Logger LOG = Logger.getLogger(UserReads.class);

  private final Pool pool;
  private final GatewayConfig config;

  public UserReads(Pool pool, GatewayConfig config) {
    this.pool = pool;
    this.config = config;
  }

  public Uni<Optional<ObjectNode>> find(Tenant tenant, String id) {
    Optional<UUID> uuid = parse(id);
    if (uuid.isEmpty()) {
      return Uni.createFrom().item(Optional.empty());
    }
    return pool.preparedQuery(
            "select resource::text as resource, version, created, last_modified"
                + " from scim.users where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant.id(), uuid.get()))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<ObjectNode>empty()
                    : Optional.of(toResource(rows.iterator().next())))
        .onFailure(f -> !(f instanceof ScimException))
        .transform(
            e -> {
              LOG.warnf("user read failed for tenant %s: %s", tenant.id(), e.toString());
              return new ServiceUnavailableException(
                  "the user store is temporarily unavailable", config.retryAfterSeconds(), e);
            });
  }

  private static ObjectNode toResource(Row row) {
    ObjectNode resource;
    try {
      resource = (ObjectNode) ContractJson.mapper().readTree(row.getString("resource"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ResourceMeta.put(
        resource,
        "User",
        row.get(OffsetDateTime.class, "created"),
        row.get(OffsetDateTime.class, "last_modified"),
        row.getLong("version"));
  }

  private static Optional<UUID> parse(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}

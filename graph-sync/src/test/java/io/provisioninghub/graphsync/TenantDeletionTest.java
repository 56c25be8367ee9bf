package io.provisioninghub.graphsync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.provisioninghub.graphsync.settings.SettingsStore;
import io.provisioninghub.testkit.GraphSimulator;
import io.provisioninghub.testkit.Infrastructure;
import io.provisioninghub.testkit.InfrastructureTestResource;
import io.provisioninghub.testkit.TenantDeletionContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A tenant deleted in the registry ({@link TenantDeletionContract}): its settings with the
 * encrypted client secret, its rounds and its object map go; a round of it still running can
 * neither keep its lease nor record itself afterwards.
 */
@QuarkusTest
@WithTestResource(InfrastructureTestResource.class)
@WithTestResource(GraphSyncTestResource.class)
class TenantDeletionTest extends TenantDeletionContract {

  @Inject MeterRegistry registry;
  @Inject SettingsStore store;

  @Override
  protected String schema() {
    return "graph_sync";
  }

  @Override
  protected List<String> tables() {
    return List.of("tenants", "rounds", "objects");
  }

  @Override
  protected MeterRegistry registry() {
    return registry;
  }

  /** Settings with an encrypted secret (admin API, disabled: no round runs), rounds and objects. */
  @Override
  protected void configure(String tenant) throws Exception {
    int status =
        given()
            .auth()
            .oauth2(GraphSyncTestResource.ADMIN.adminToken())
            .contentType("application/json")
            .body(
                "{\"entraTenantId\":\""
                    + GraphSimulator.TENANT_ID
                    + "\",\"clientId\":\""
                    + GraphSimulator.CLIENT_ID
                    + "\",\"clientSecret\":\"a-secret-of-"
                    + tenant
                    + "\",\"interval\":\"PT1H\",\"enabled\":false}")
            .put("/admin/v1/tenants/" + tenant + "/graph-sync")
            .statusCode();
    assertThat(status).isEqualTo(201);
    store.roundStarted(tenant, UUID.randomUUID(), "full");
    store.roundStarted(tenant, UUID.randomUUID(), "incremental");
    try (Connection c = Infrastructure.shared().postgres().connect();
        PreparedStatement s =
            c.prepareStatement(
                "insert into graph_sync.objects (tenant_id, kind, graph_id, scim_id)"
                    + " values (?, 'U', ?, ?)")) {
      for (int i = 0; i < 3; i++) {
        s.setString(1, tenant);
        s.setString(2, "graph-user-" + i);
        s.setObject(3, UUID.randomUUID());
        s.executeUpdate();
      }
    }
  }

  @Override
  protected void afterDeletion(String deleted, String kept) {
    assertThat(store.renewLease(deleted, "graph-sync-elsewhere", Duration.ofMinutes(5))).isFalse();
    assertThatThrownBy(() -> store.roundStarted(deleted, UUID.randomUUID(), "full"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(kept)).isPresent();
  }
}

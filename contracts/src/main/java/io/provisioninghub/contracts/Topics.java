package io.provisioninghub.contracts;

/** Names of the Kafka topics that connect the services. */
public final class Topics {

  /** SCIM write commands from the gateway, keyed {@code tenantId/resourceType/resourceId}. */
  public static final String COMMANDS = "scim.commands.v1";

  /** Outcomes of applied (or refused) commands; also the gateway's reply topic. */
  public static final String OUTCOMES = "scim.outcomes.v1";

  /** Commands that can never be applied, with the reason in the record headers. */
  public static final String COMMANDS_DLQ = "scim.commands.dlq.v1";

  /** Domain events (CloudEvents) for the vendor's services, keyed {@code tenantId/resourceId}. */
  public static final String EVENTS = "provisioning.events.v1";

  /**
   * Tenants and their credentials (hashes only), compacted, keyed by tenant id; a tombstone
   * deletes.
   */
  public static final String TENANTS = "tenants.v1";

  /**
   * Reports of the processor that a deleted tenant's SCIM data is gone ({@link TenantPurged}),
   * keyed by tenant id; read by the registry, which then publishes the tenant's tombstone.
   */
  public static final String TENANT_PURGES = "tenants.purges.v1";

  /** Approximate last use of credentials, from the gateways to the registry; compacted. */
  public static final String CREDENTIAL_USAGE = "tenants.usage.v1";

  private Topics() {}
}

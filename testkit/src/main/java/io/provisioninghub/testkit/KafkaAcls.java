package io.provisioninghub.testkit;

import io.provisioninghub.contracts.DeadLetters;
import io.provisioninghub.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL matrix: which service principal may read or write which topic and consumer group. The
 * same table is in docs/security.md and in deploy/k8s/base/create-topics.sh; a secured broker of
 * the testkit gets exactly these ACLs, so a service that needs more fails its tests. No service
 * uses Kafka transactions, so no transactional id is granted.
 */
public final class KafkaAcls {

  public static final String GATEWAY = "scim-gateway";
  public static final String PROCESSOR = "provisioning-processor";
  public static final String AUDIT = "audit-log";
  public static final String REGISTRY = "tenant-registry";
  public static final String WEBHOOKS = "webhooks";
  public static final String GRAPH_SYNC = "graph-sync";
  public static final String SAML_JIT = "saml-jit";

  /** The operators' principal for the dead-letters tool. */
  public static final String DEAD_LETTERS = "dead-letters";

  /** Every service principal, in the order of the table. */
  public static final List<String> PRINCIPALS =
      List.of(GATEWAY, PROCESSOR, AUDIT, REGISTRY, WEBHOOKS, GRAPH_SYNC, SAML_JIT, DEAD_LETTERS);

  /** Topics each principal reads. */
  public static final Map<String, List<String>> READS =
      Map.of(
          GATEWAY, List.of(Topics.TENANTS, Topics.OUTCOMES),
          PROCESSOR, List.of(Topics.COMMANDS, Topics.TENANTS, Topics.EVENTS),
          AUDIT, List.of(Topics.COMMANDS, Topics.OUTCOMES, Topics.COMMANDS_DLQ),
          REGISTRY, List.of(Topics.CREDENTIAL_USAGE, Topics.TENANT_PURGES),
          WEBHOOKS, List.of(Topics.EVENTS),
          GRAPH_SYNC, List.of(Topics.TENANTS),
          SAML_JIT, List.of(Topics.TENANTS),
          DEAD_LETTERS, List.of(Topics.COMMANDS_DLQ));

  /** Topics each principal writes. */
  public static final Map<String, List<String>> WRITES =
      Map.of(
          GATEWAY,
          List.of(Topics.COMMANDS, Topics.OUTCOMES, Topics.CREDENTIAL_USAGE),
          PROCESSOR,
          List.of(Topics.OUTCOMES, Topics.EVENTS, Topics.COMMANDS_DLQ, Topics.TENANT_PURGES),
          AUDIT,
          List.of(),
          REGISTRY,
          List.of(Topics.TENANTS),
          WEBHOOKS,
          List.of(),
          GRAPH_SYNC,
          List.of(),
          SAML_JIT,
          List.of(),
          DEAD_LETTERS,
          List.of(Topics.COMMANDS));

  /**
   * Consumer groups each principal may use: an exact name, or a prefix ending in {@code -} (the
   * gateway's reply consumer gets a group per instance start, {@code scim-gateway-replies-<uuid>}).
   */
  public static final Map<String, List<String>> GROUPS =
      Map.of(
          GATEWAY,
          List.of("scim-gateway-"),
          PROCESSOR,
          List.of(
              "provisioning-processor",
              "provisioning-processor-tenants",
              "provisioning-processor-event-feed"),
          AUDIT,
          List.of("audit-log"),
          REGISTRY,
          List.of("tenant-registry-usage", "tenant-registry-purges"),
          WEBHOOKS,
          List.of("webhooks"),
          GRAPH_SYNC,
          List.of("graph-sync-tenants"),
          SAML_JIT,
          List.of("saml-jit-tenants"),
          DEAD_LETTERS,
          List.of(DeadLetters.HANDLED_GROUP));

  /**
   * Consumer groups a principal may describe (read their committed offsets) without joining: the
   * processor reports the dead-letter backlog against the group the operator CLI commits in.
   */
  public static final Map<String, List<String>> GROUP_DESCRIBES =
      Map.of(PROCESSOR, List.of(DeadLetters.HANDLED_GROUP));

  private KafkaAcls() {}

  /** The bindings for every principal. */
  public static List<AclBinding> matrix() {
    List<AclBinding> acls = new ArrayList<>();
    for (String principal : PRINCIPALS) {
      READS.get(principal).forEach(t -> acls.add(topic(principal, t, AclOperation.READ)));
      WRITES.get(principal).forEach(t -> acls.add(topic(principal, t, AclOperation.WRITE)));
      for (String group : GROUPS.get(principal)) {
        PatternType pattern = group.endsWith("-") ? PatternType.PREFIXED : PatternType.LITERAL;
        acls.add(
            new AclBinding(
                new ResourcePattern(ResourceType.GROUP, group, pattern),
                allow(principal, AclOperation.READ)));
      }
      for (String group : GROUP_DESCRIBES.getOrDefault(principal, List.of())) {
        acls.add(
            new AclBinding(
                new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                allow(principal, AclOperation.DESCRIBE)));
      }
    }
    return acls;
  }

  private static AclBinding topic(String principal, String topic, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        allow(principal, operation));
  }

  private static AccessControlEntry allow(String principal, AclOperation operation) {
    return new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW);
  }
}

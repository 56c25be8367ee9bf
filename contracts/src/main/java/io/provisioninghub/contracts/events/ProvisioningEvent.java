package io.provisioninghub.contracts.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A change applied to a tenant's users or groups, published as a CloudEvent on {@code
 * provisioning.events.v1} keyed {@code tenantId/resourceId}. The CloudEvent {@code type} is {@link
 * #type()}; its {@code data} is this record as JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = UserCreated.class, name = "UserCreated"),
  @JsonSubTypes.Type(value = UserUpdated.class, name = "UserUpdated"),
  @JsonSubTypes.Type(value = UserDeactivated.class, name = "UserDeactivated"),
  @JsonSubTypes.Type(value = UserReactivated.class, name = "UserReactivated"),
  @JsonSubTypes.Type(value = UserDeleted.class, name = "UserDeleted"),
  @JsonSubTypes.Type(value = GroupCreated.class, name = "GroupCreated"),
  @JsonSubTypes.Type(value = GroupUpdated.class, name = "GroupUpdated"),
  @JsonSubTypes.Type(value = GroupDeleted.class, name = "GroupDeleted"),
  @JsonSubTypes.Type(value = MembershipAdded.class, name = "MembershipAdded"),
  @JsonSubTypes.Type(value = MembershipRemoved.class, name = "MembershipRemoved")
})
public sealed interface ProvisioningEvent
    permits UserCreated,
        UserUpdated,
        UserDeactivated,
        UserReactivated,
        UserDeleted,
        GroupCreated,
        GroupUpdated,
        GroupDeleted,
        MembershipAdded,
        MembershipRemoved {

  /** Prefix of every CloudEvent type this system emits. */
  String TYPE_PREFIX = "io.provisioninghub.";

  String tenantId();

  /** The user or group the event is about. */
  String resourceId();

  /** The resource's version after the change (0 after a delete). */
  long version();

  /** SCIM attribute names the change touched. */
  List<String> changedAttributes();

  /**
   * The new values of the changed attributes, keyed by the names in {@link #changedAttributes()}
   * ({@code null} for an attribute the change removed); a name without a key here was left out on
   * purpose: the password, or an attribute the tenant's event redaction names. Absent (null) on
   * events that carry no attribute values (deletions and membership changes).
   */
  default JsonNode changes() {
    return null;
  }

  /** The CloudEvent type, e.g. {@code io.provisioninghub.user.created.v1}. */
  @JsonIgnore
  String type();

  /** The Kafka key: all events of one resource are ordered. */
  @JsonIgnore
  default String kafkaKey() {
    return tenantId() + "/" + resourceId();
  }
}

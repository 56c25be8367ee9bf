package io.provisioninghub.processor.apply;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The dedupe record of a command, written in the same transaction as the change it made. It holds
 * only what deduplication and replay need (no resource body, no error detail, no personal data):
 * the answer's status and SCIM error type, the resource's id and version, and the ids of the events
 * the command produced. The events themselves stay in {@link #unsentEvents} only until the broker
 * has confirmed them.
 */
@Entity
@Table(name = "processed_commands", schema = "scim")
public class ProcessedCommand extends PanacheEntityBase {

  @Id
  @Column(name = "command_id")
  public UUID commandId;

  @Column(name = "tenant_id")
  public String tenantId;

  /** {@code OutcomeStatus} name. */
  public String status;

  @Column(name = "http_status")
  public int httpStatus;

  @Column(name = "scim_type")
  public String scimType;

  /** {@code User} or {@code Group}: where a late answer re-reads the body. */
  @Column(name = "resource_type")
  public String resourceType;

  @Column(name = "resource_id")
  public String resourceId;

  public long version;

  /** The CloudEvent ids of the command's events ({@code commandId-index}). */
  @Column(name = "event_ids")
  @JdbcTypeCode(SqlTypes.ARRAY)
  public String[] eventIds;

  /**
   * The events as JSON until the broker confirmed them; null afterwards (or if there were none).
   */
  @Column(name = "unsent_events")
  @ColumnTransformer(read = "unsent_events::text", write = "cast(cast(? as text) as jsonb)")
  public String unsentEvents;

  @Column(name = "processed_at")
  public OffsetDateTime processedAt;
}

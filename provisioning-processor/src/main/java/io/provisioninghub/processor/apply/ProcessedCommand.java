package io.provisioninghub.processor.apply;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The dedupe record of a command, written in the same transaction as the change it made. It holds
 * only what deduplication and replay need (no resource body, no error detail, no personal data):
 * the answer's status and SCIM error type, the resource's id and version, and the ids of the events
 * the command produced. The events themselves stay in {@link #unsentEvents} only until the broker
 * has confirmed them. A row of {@code scim.processed_commands} ({@link ProcessedCommands}).
 */
public class ProcessedCommand {

  public UUID commandId;

  public String tenantId;

  /** {@code OutcomeStatus} name. */
  public String status;

  public int httpStatus;

  public String scimType;

  /** {@code User} or {@code Group}: where a late answer re-reads the body. */
  public String resourceType;

  public String resourceId;

  public long version;

  /** The CloudEvent ids of the command's events ({@code commandId-index}). */
  public String[] eventIds;

  /**
   * The events as JSON until the broker confirmed them; null afterwards (or if there were none).
   */
  public String unsentEvents;

  public OffsetDateTime processedAt;
}

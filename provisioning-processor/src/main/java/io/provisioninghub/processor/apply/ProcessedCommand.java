package io.provisioninghub.processor.apply;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** The dedupe record of a command: written in the same transaction as the change it made. */
@Entity
@Table(name = "processed_commands", schema = "scim")
public class ProcessedCommand extends PanacheEntityBase {

  @Id
  @Column(name = "command_id")
  public UUID commandId;

  @Column(name = "tenant_id")
  public String tenantId;

  @ColumnTransformer(read = "outcome::text", write = "cast(cast(? as text) as jsonb)")
  public String outcome;

  @ColumnTransformer(read = "events::text", write = "cast(cast(? as text) as jsonb)")
  public String events;

  @Column(name = "processed_at")
  public OffsetDateTime processedAt;
}

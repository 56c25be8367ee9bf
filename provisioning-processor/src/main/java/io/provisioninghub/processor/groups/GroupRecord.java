package io.provisioninghub.processor.groups;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of {@code scim.groups}: the indexed columns plus the SCIM document (without meta and
 * members). Read and written by {@link GroupRows}.
 */
public class GroupRecord {

  public String tenantId;

  public UUID id;

  public String externalId;

  public String displayName;

  /** The SCIM document as JSON text. */
  public String resource;

  public long version;

  public OffsetDateTime created;

  public OffsetDateTime lastModified;
}

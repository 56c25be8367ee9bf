package io.provisioninghub.audit.ingest;

import java.util.Locale;

/** What an operation meant to the customer, derived from the SCIM method and its payload. */
public enum AuditOperation {
  CREATE,
  REPLACE,
  PATCH,
  DISABLE,
  ENABLE,
  DELETE,
  MEMBERSHIP_ADD,
  MEMBERSHIP_REMOVE,
  /** A read the gateway refused (bad filter, unknown id); successful reads are not audited. */
  READ;

  /** The API and database spelling: {@code membership-add}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static AuditOperation fromWireName(String value) {
    for (AuditOperation op : values()) {
      if (op.wireName().equalsIgnoreCase(value)) {
        return op;
      }
    }
    throw new IllegalArgumentException(value);
  }
}

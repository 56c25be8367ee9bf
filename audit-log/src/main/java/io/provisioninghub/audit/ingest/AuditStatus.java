package io.provisioninghub.audit.ingest;

import io.provisioninghub.contracts.OutcomeStatus;
import java.util.Locale;

/** How an audited operation ended; {@link #PENDING} until its outcome arrives. */
public enum AuditStatus {
  PENDING,
  SUCCESS,
  FAILURE,
  REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AuditStatus of(OutcomeStatus status) {
    return switch (status) {
      case APPLIED -> SUCCESS;
      case FAILED -> FAILURE;
      case REJECTED -> REJECTED;
    };
  }

  public static AuditStatus fromWireName(String value) {
    for (AuditStatus status : values()) {
      if (status.wireName().equalsIgnoreCase(value)) {
        return status;
      }
    }
    throw new IllegalArgumentException(value);
  }
}

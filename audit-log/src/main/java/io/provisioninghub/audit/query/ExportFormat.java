package io.provisioninghub.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.provisioninghub.audit.error.BadRequest;
import io.provisioninghub.contracts.ContractJson;
import java.util.List;
import java.util.Locale;

/** How an export writes each row: one JSON document per line, or CSV with a header line. */
public enum ExportFormat {
  NDJSON("application/x-ndjson"),
  CSV("text/csv");

  private static final List<String> CSV_COLUMNS =
      List.of(
          "commandId",
          "receivedAt",
          "appliedAt",
          "durationMs",
          "status",
          "operation",
          "scimOperation",
          "resourceType",
          "resourceId",
          "userName",
          "displayName",
          "externalId",
          "httpStatus",
          "scimType",
          "reason",
          "recommendedAction",
          "changedAttributes",
          "clientRequestId");

  private final String mediaType;

  ExportFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  public static ExportFormat parse(String value) {
    if (value == null || value.isBlank()) {
      return NDJSON;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("format", "format must be ndjson or csv");
    }
  }

  /** The first line, or null if the format has none. */
  public String header() {
    return this == CSV ? String.join(",", CSV_COLUMNS) + "\n" : null;
  }

  public String line(OperationView row) {
    if (this == NDJSON) {
      try {
        return ContractJson.mapper().writeValueAsString(row) + "\n";
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write an operation as JSON", e);
      }
    }
    List<Object> values =
        List.of(
            row.commandId(),
            text(row.receivedAt()),
            text(row.appliedAt()),
            text(row.durationMs()),
            row.status(),
            text(row.operation()),
            text(row.scimOperation()),
            text(row.resourceType()),
            text(row.resourceId()),
            text(row.target().userName()),
            text(row.target().displayName()),
            text(row.target().externalId()),
            text(row.httpStatus()),
            text(row.scimType()),
            text(row.reason()),
            text(row.recommendedAction()),
            String.join(";", row.changedAttributes()),
            text(row.clientRequestId()));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(csvField(String.valueOf(values.get(i))));
    }
    return out.append('\n').toString();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  /**
   * RFC 4180 quoting; a leading formula character is defused so that a spreadsheet never evaluates
   * a value an identity provider sent.
   */
  static String csvField(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}

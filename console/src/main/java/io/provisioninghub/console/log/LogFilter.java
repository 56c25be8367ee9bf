package io.provisioninghub.console.log;

import io.provisioninghub.console.upstream.AuditApi.Query;
import io.provisioninghub.console.upstream.Upstream;
import io.provisioninghub.console.web.BadInput;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The filters of the customer's log as typed into its form: a user (userName) or a group
 * (displayName), a status, and a time range in UTC. None of them can name a tenant.
 */
public record LogFilter(String user, String group, String status, String from, String to) {

  /** The statuses the form offers; "" is any. */
  public static final List<String> STATUSES = List.of("success", "failure", "rejected", "pending");

  private static final int MAX_NAME = 512;
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_=-]{1,200}");

  /** The form's values, trimmed; nothing checked yet. */
  public static LogFilter of(String user, String group, String status, String from, String to) {
    return new LogFilter(trim(user), trim(group), trim(status), trim(from), trim(to));
  }

  /**
   * The audit log's query for these filters.
   *
   * @throws BadInput a value that cannot be used, said in plain words
   */
  public Query query() {
    if (!user.isEmpty() && !group.isEmpty()) {
      throw new BadInput("Filter by a user or by a group, not both at once.");
    }
    if (user.length() > MAX_NAME || group.length() > MAX_NAME) {
      throw new BadInput("A user or group name is at most " + MAX_NAME + " characters.");
    }
    if (!status.isEmpty() && !STATUSES.contains(status)) {
      throw new BadInput("The status must be one of " + String.join(", ", STATUSES) + ".");
    }
    Instant fromAt = instant("From", from);
    Instant toAt = instant("To", to);
    if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
      throw new BadInput("\"From\" must be earlier than \"To\".");
    }
    String target = user.isEmpty() ? (group.isEmpty() ? null : group) : user;
    String resourceType = user.isEmpty() ? (group.isEmpty() ? null : "Group") : "User";
    return new Query(target, resourceType, status.isEmpty() ? null : status, fromAt, toAt);
  }

  /** The position of an older page, checked for shape (the audit log checks the rest). */
  public static String cursor(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!CURSOR.matcher(value.trim()).matches()) {
      throw new BadInput("The link to older entries is damaged; open the log again.");
    }
    return value.trim();
  }

  /** These filters as a query string for a link ("" when none is set). */
  public String queryString(String cursor) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("user", user.isEmpty() ? null : user);
    parameters.put("group", group.isEmpty() ? null : group);
    parameters.put("status", status.isEmpty() ? null : status);
    parameters.put("from", from.isEmpty() ? null : from);
    parameters.put("to", to.isEmpty() ? null : to);
    parameters.put("cursor", cursor);
    return Upstream.query(parameters);
  }

  /** Whether a time range was given (else the page's rate covers the last 24 hours). */
  public boolean hasRange() {
    return !from.isEmpty() || !to.isEmpty();
  }

  /**
   * A time as the form's {@code datetime-local} input sends it ({@code 2026-01-31T09:30}, taken as
   * UTC), or an ISO-8601 instant.
   */
  static Instant instant(String label, String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        throw new BadInput(
            "\"" + label + "\" must be a date and time such as 2026-01-31T09:30 (UTC).");
      }
    }
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }
}

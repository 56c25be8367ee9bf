package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code phubctl audit ...}: the audit log's support API, with a support token. Each query is
 * recorded in the support access log under the token's subject.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Query a tenant's provisioning operations (support API).",
    subcommands = {
      AuditCommand.Operations.class,
      AuditCommand.Operation.class,
      AuditCommand.Summary.class
    })
final class AuditCommand {

  static String line(JsonNode o) {
    JsonNode target = o.path("target");
    String who =
        target.hasNonNull("userName")
            ? target.get("userName").asText()
            : target.hasNonNull("displayName")
                ? target.get("displayName").asText()
                : o.path("resourceId").asText("-");
    return String.format(
        "%s %-8s %-6s %-5s %-20s %s %s%s",
        o.path("receivedAt").asText(),
        o.path("status").asText(),
        o.path("operation").asText(),
        o.path("resourceType").asText(),
        who,
        o.path("httpStatus").asText("-"),
        o.path("commandId").asText(),
        o.hasNonNull("reason") ? "  " + o.get("reason").asText() : "");
  }

  private static String base(String tenant) {
    return "/tenants/" + ApiClient.segment(tenant);
  }

  @Command(
      name = "operations",
      mixinStandardHelpOptions = true,
      description = "A tenant's operations, newest first, filtered.")
  static final class Operations implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(names = "--status", description = "success or failure")
    String status;

    @Option(names = "--operation", description = "create, replace, patch, delete")
    String operation;

    @Option(names = "--resource-type", description = "User or Group")
    String resourceType;

    @Option(names = "--target", description = "userName, displayName, externalId or id")
    String target;

    @Option(names = "--from", description = "ISO-8601 instant")
    String from;

    @Option(names = "--to", description = "ISO-8601 instant")
    String to;

    @Option(names = "--limit", description = "at most this many (the API's maximum applies)")
    Integer limit;

    @Option(names = "--cursor", description = "the next page, as the previous answer gave it")
    String cursor;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, String> q = new LinkedHashMap<>();
      q.put("status", status);
      q.put("operation", operation);
      q.put("resourceType", resourceType);
      q.put("target", target);
      q.put("from", from);
      q.put("to", to);
      q.put("limit", limit == null ? null : limit.toString());
      q.put("cursor", cursor);
      root.print(
          root.audit().get(base(tenant) + "/operations" + ApiClient.query(q)),
          page -> {
            StringBuilder text = new StringBuilder();
            page.path("items").forEach(o -> text.append(line(o)).append('\n'));
            text.append(page.path("items").size()).append(" operation(s)");
            if (page.hasNonNull("nextCursor")) {
              text.append("; more with --cursor ").append(page.get("nextCursor").asText());
            }
            return text.toString();
          });
    }
  }

  @Command(
      name = "operation",
      mixinStandardHelpOptions = true,
      description = "One operation by its command id, with its reason and recommended action.")
  static final class Operation implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Parameters(index = "1", paramLabel = "COMMAND_ID")
    String commandId;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.audit().get(base(tenant) + "/operations/" + ApiClient.segment(commandId)),
          o ->
              line(o)
                  + (o.hasNonNull("recommendedAction")
                      ? "\nrecommended action: " + o.get("recommendedAction").asText()
                      : ""));
    }
  }

  @Command(
      name = "summary",
      mixinStandardHelpOptions = true,
      description = "A tenant's operations counted by status and its top failure reasons.")
  static final class Summary implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(names = "--from", description = "ISO-8601 instant")
    String from;

    @Option(names = "--to", description = "ISO-8601 instant")
    String to;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Map<String, String> q = new LinkedHashMap<>();
      q.put("from", from);
      q.put("to", to);
      root.print(
          root.audit().get(base(tenant) + "/summary" + ApiClient.query(q)),
          JsonNode::toPrettyString);
    }
  }
}

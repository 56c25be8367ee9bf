package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code phubctl tenants console-sign-in ...}: the tenant's own identity provider for the console's
 * sign-in ({@code /tenants/{id}/console-sign-in}). The client secret is read from a file or
 * standard input, never from the command line, and the registry never answers it.
 */
@Command(
    name = "console-sign-in",
    mixinStandardHelpOptions = true,
    description =
        "Set, show or remove the customer's own identity provider for the console's sign-in.",
    subcommands = {
      ConsoleSignInCommand.Set.class,
      ConsoleSignInCommand.Show.class,
      ConsoleSignInCommand.Remove.class
    })
final class ConsoleSignInCommand {

  static String path(String tenant) {
    return "/tenants/" + ApiClient.segment(tenant) + "/console-sign-in";
  }

  static String line(JsonNode s) {
    JsonNode claim = s.path("requiredClaim");
    return "tenant "
        + s.path("tenantId").asText()
        + ": issuer "
        + s.path("issuer").asText()
        + ", client "
        + s.path("clientId").asText()
        + ", secret "
        + (s.path("clientSecretSet").asBoolean() ? "set" : "not set")
        + ", required claim "
        + (claim.isObject()
            ? claim.path("name").asText() + " in " + claim.path("values").toString()
            : "none")
        + "\nupdated "
        + s.path("updatedAt").asText("-")
        + " by "
        + s.path("updatedBy").asText("-");
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Set the tenant's identity provider: issuer, client id and secret, optional required"
              + " claim. Admins then sign in at <console>/console/tenant-sign-in/TENANT.")
  static final class Set implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--issuer",
        required = true,
        description = "e.g. https://login.microsoftonline.com/<directory id>/v2.0")
    String issuer;

    @Option(names = "--client-id", required = true, description = "the console's client there")
    String clientId;

    @Option(
        names = "--client-secret-file",
        paramLabel = "FILE",
        description =
            "a file holding the client secret ('-': standard input); omit to keep the stored one")
    String secretFile;

    @Option(
        names = "--required-claim",
        paramLabel = "NAME",
        description = "a claim the ID token must carry, e.g. roles or groups")
    String claim;

    @Option(
        names = "--required-value",
        paramLabel = "VALUE",
        description = "an accepted value of --required-claim (repeatable)")
    List<String> values;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      if ((claim == null) != (values == null || values.isEmpty())) {
        throw new Phubctl.Failure(
            Phubctl.USAGE, "--required-claim and --required-value go together");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("issuer", issuer);
      body.put("clientId", clientId);
      body.put("clientSecret", secretFile == null ? null : readSecret(secretFile));
      body.put("requiredClaim", claim == null ? null : Map.of("name", claim, "values", values));
      root.print(root.admin().put(path(tenant), body), s -> "set: " + line(s));
    }

    private static String readSecret(String file) {
      try {
        byte[] raw =
            "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        String secret = new String(raw, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
          throw new Phubctl.Failure(Phubctl.USAGE, "the client secret file is empty");
        }
        return secret;
      } catch (IOException e) {
        throw new Phubctl.Failure(Phubctl.USAGE, "cannot read the client secret from " + file);
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show the tenant's sign-in settings (never the secret).")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(root.admin().get(path(tenant)), ConsoleSignInCommand::line);
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove the tenant's sign-in; setup links keep working.")
  static final class Remove implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT")
    String tenant;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      root.print(
          root.admin().delete(path(tenant)), s -> "removed the console sign-in of " + tenant);
    }
  }
}

package io.provisioninghub.phubctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.provisioninghub.support.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code phubctl}: the operator's command line for ProvisioningHub. Tenants and credentials through
 * the tenant registry's admin API, the audit log through its support API, dead letters through
 * Kafka. Every command has {@code --help}; {@code --output json} prints what the APIs answer.
 *
 * <p>Exit codes: {@value #OK} done, {@value #REFUSED} refused or not found (an API's 4xx, a dead
 * letter that may not be re-driven), {@value #USAGE} wrong arguments, {@value #UNAVAILABLE} a
 * service or the broker unreachable or failing (5xx).
 */
@Command(
    name = "phubctl",
    mixinStandardHelpOptions = true,
    versionProvider = Phubctl.Version.class,
    description = "Operate ProvisioningHub: tenants, credentials, dead letters, audit queries.",
    subcommands = {
      TenantsCommand.class,
      CredentialsCommand.class,
      DeadLettersCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Connection settings (options win over the environment):",
      "  admin API    --admin-url (--registry-url), PHUB_ADMIN_URL, PHUB_REGISTRY_URL or"
          + " ADMIN_BASE_URL (default"
          + " http://127.0.0.1:8082/admin/v1); token --admin-token-file, PHUB_ADMIN_TOKEN or"
          + " ADMIN_TOKEN",
      "  support API  --audit-url, PHUB_AUDIT_URL or AUDIT_BASE_URL (default"
          + " http://127.0.0.1:8083/audit/v1); token --support-token-file, PHUB_SUPPORT_TOKEN or"
          + " SUPPORT_TOKEN",
      "  Kafka        KAFKA_* variables as for the services, then --command-config FILE, then"
          + " --bootstrap HOST:PORT",
      "Tokens are never taken as arguments (other users see arguments in ps).",
      "",
      "Exit codes: 0 done, 1 refused or not found, 2 wrong arguments, 3 service unavailable."
    })
public final class Phubctl implements Runnable {

  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNAVAILABLE = 3;

  static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** How results are printed. */
  enum Output {
    text,
    json
  }

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      defaultValue = "text",
      description = "text (default) or json")
  Output output;

  @Option(
      names = {"--admin-url", "--registry-url"},
      scope = ScopeType.INHERIT,
      description = "the tenant registry's admin API (http://host:port/admin/v1, or the root)")
  String adminUrl;

  @Option(
      names = "--admin-token-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "a file holding the admin bearer token")
  Path adminTokenFile;

  @Option(
      names = "--audit-url",
      scope = ScopeType.INHERIT,
      description = "the audit log's support API (http://host:port/audit/v1, or the root)")
  String auditUrl;

  @Option(
      names = "--support-token-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "a file holding the support bearer token")
  Path supportTokenFile;

  @Option(
      names = "--command-config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Kafka client properties (a secured broker's login), as Kafka's tools take it")
  Path commandConfig;

  @Option(
      names = "--bootstrap",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers")
  String bootstrap;

  @Spec CommandSpec spec;

  private final UnaryOperator<String> env;

  Phubctl(UnaryOperator<String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System::getenv, out, err));
  }

  /** Runs one command line with the process's environment; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System::getenv, out, err);
  }

  /** Runs one command line; returns the exit code. */
  static int run(String[] args, UnaryOperator<String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Phubctl(env));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          if (e instanceof Failure failure) {
            commandLine.getErr().println(failure.getMessage());
            return failure.exitCode();
          }
          commandLine
              .getErr()
              .println(e.getMessage() == null ? e.toString() : "error: " + e.getMessage());
          return UNAVAILABLE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
  }

  // ---------------------------------------------------------------- shared by the commands

  /** A command that failed with an exit code of its own. */
  static final class Failure extends RuntimeException {
    private final int exitCode;

    Failure(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  String env(String name) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  ApiClient admin() {
    return new ApiClient(
        ApiClient.apiBase(
            first(
                adminUrl,
                env("PHUB_ADMIN_URL"),
                env("PHUB_REGISTRY_URL"),
                env("ADMIN_BASE_URL"),
                "http://127.0.0.1:8082"),
            "/admin/v1"),
        token(adminTokenFile, "PHUB_ADMIN_TOKEN", "ADMIN_TOKEN", "--admin-token-file"));
  }

  ApiClient audit() {
    return new ApiClient(
        ApiClient.apiBase(
            first(auditUrl, env("PHUB_AUDIT_URL"), env("AUDIT_BASE_URL"), "http://127.0.0.1:8083"),
            "/audit/v1"),
        token(supportTokenFile, "PHUB_SUPPORT_TOKEN", "SUPPORT_TOKEN", "--support-token-file"));
  }

  /** The Kafka client settings: environment, then --command-config, then --bootstrap. */
  Map<String, String> kafka() {
    Map<String, String> kafka =
        new LinkedHashMap<>(KafkaClientSettings.fromEnvironment(env::apply));
    if (commandConfig != null) {
      try {
        kafka.putAll(KafkaClientSettings.fromFile(commandConfig));
      } catch (UncheckedIOException e) {
        throw new Failure(USAGE, e.getMessage());
      }
    }
    if (bootstrap != null && !bootstrap.isBlank()) {
      kafka.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    }
    String servers = kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.isBlank()) {
      throw new Failure(
          USAGE,
          "no Kafka bootstrap servers: KAFKA_BOOTSTRAP_SERVERS, --command-config or --bootstrap");
    }
    return kafka;
  }

  private String token(Path file, String variable, String fallback, String option) {
    if (file != null) {
      try {
        return Files.readString(file).trim();
      } catch (IOException e) {
        throw new Failure(USAGE, option + " " + file + ": " + e.getMessage());
      }
    }
    String token = first(env(variable), env(fallback));
    if (token == null) {
      throw new Failure(USAGE, "no token: set " + variable + " or give " + option);
    }
    return token;
  }

  /** The first value given (options, then variables, then a default). */
  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  /** Prints an API answer: as JSON, or as text made by {@code text}. */
  void print(JsonNode node, java.util.function.Function<JsonNode, String> text) {
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      try {
        out.println(JSON.writeValueAsString(node));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      out.println(text.apply(node));
    }
  }

  /** The root command of the one a command runs in: its settings and printing. */
  static Phubctl of(CommandSpec spec) {
    return (Phubctl) spec.root().userObject();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Phubctl.class.getPackage().getImplementationVersion();
      return new String[] {"phubctl " + (version == null ? "(development build)" : version)};
    }
  }
}

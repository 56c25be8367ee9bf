package io.provisioninghub.testkit;

import io.provisioninghub.contracts.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Puts an unreadable command on the local stack's {@code scim.commands.v1}, as the gateway's
 * principal, so the processor sets it aside on the dead-letter topic: how the console's browser
 * tests (and anyone trying the operator console) get a dead letter. Local stack and tests only.
 *
 * <p>Usage: {@code PoisonCommand <stateDir> <tenant>} prints the record's key ({@code
 * <tenant>/User/<uuid>}). By hand, against the local stack:
 *
 * <pre>
 * java -cp "testkit/target/classes:$(cat testkit/target/classes/io/provisioninghub/testkit/runtime.classpath)" \
 *     io.provisioninghub.testkit.PoisonCommand .local-stack demo
 * </pre>
 */
public final class PoisonCommand {

  private PoisonCommand() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: PoisonCommand <stateDir> <tenant>");
      System.exit(2);
    }
    Path settings = Path.of(args[0]).resolve("kafka").resolve(KafkaAcls.GATEWAY + ".properties");
    Properties file = new Properties();
    try (InputStream in = Files.newInputStream(settings)) {
      file.load(in);
    }
    Map<String, String> client = new LinkedHashMap<>();
    file.stringPropertyNames().stream()
        .filter(name -> name.startsWith("kafka."))
        .forEach(name -> client.put(name.substring(6), file.getProperty(name)));
    String key = args[1] + "/User/" + UUID.randomUUID();
    TopicProbe.send(
        client,
        Topics.COMMANDS,
        key,
        "not a command".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders());
    System.out.println(key);
  }
}

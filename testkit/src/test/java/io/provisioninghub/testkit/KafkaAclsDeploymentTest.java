package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The ACLs the Kubernetes topic Job creates (deploy/k8s/base/create-topics.sh) are the matrix the
 * secured test broker grants ({@link KafkaAcls}): the tests prove what production gets.
 */
class KafkaAclsDeploymentTest {

  private static final Pattern LINE =
      Pattern.compile(
          "^(read_topic|write_topic|group|describe_group) (\\S+) (\\S+)( --resource-pattern-type prefixed)?$");

  @Test
  void theTopicJobCreatesExactlyTheMatrix() throws Exception {
    Path script = Path.of("..", "deploy", "k8s", "base", "create-topics.sh");
    Set<String> deployed = new HashSet<>();
    for (String line : Files.readAllLines(script)) {
      Matcher m = LINE.matcher(line.trim());
      if (m.matches()) {
        String kind =
            switch (m.group(1)) {
              case "read_topic" -> "TOPIC READ";
              case "write_topic" -> "TOPIC WRITE";
              case "describe_group" -> "GROUP DESCRIBE";
              default -> "GROUP READ";
            };
        deployed.add(
            kind + " " + m.group(2) + " " + m.group(3) + (m.group(4) != null ? " PREFIXED" : ""));
      }
    }
    Set<String> matrix = new HashSet<>();
    for (AclBinding acl : KafkaAcls.matrix()) {
      String kind =
          (acl.pattern().resourceType() == ResourceType.TOPIC ? "TOPIC " : "GROUP ")
              + acl.entry().operation().name();
      matrix.add(
          kind
              + " "
              + acl.entry().principal().substring("User:".length())
              + " "
              + acl.pattern().name()
              + (acl.pattern().patternType() == PatternType.PREFIXED ? " PREFIXED" : ""));
    }
    assertThat(deployed).isNotEmpty().isEqualTo(matrix);
  }
}

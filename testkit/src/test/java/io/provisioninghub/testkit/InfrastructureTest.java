package io.provisioninghub.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.provisioninghub.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InfrastructureTest {

  static Infrastructure infra;

  @BeforeAll
  static void start() throws Exception {
    infra = Infrastructure.start(Files.createTempDirectory("phub-testkit-test"), false);
  }

  @AfterAll
  static void stop() {
    ProcessHandle broker = infra.kafka().process().orElse(null);
    infra.stop();
    if (broker != null) {
      assertThat(broker.isAlive()).as("broker JVM reaped").isFalse();
    }
  }

  @Test
  void brokerAnswersAndHasTheContractTopics() throws Exception {
    try (Admin admin = infra.kafka().admin()) {
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .contains(Topics.COMMANDS, Topics.OUTCOMES, Topics.COMMANDS_DLQ, Topics.EVENTS);
      assertThat(
              admin
                  .describeTopics(java.util.List.of(Topics.COMMANDS))
                  .allTopicNames()
                  .get(10, TimeUnit.SECONDS)
                  .get(Topics.COMMANDS)
                  .partitions())
          .hasSize(Infrastructure.TOPICS.get(Topics.COMMANDS));
    }
    assertThat(infra.kafka().bootstrapServers()).startsWith("127.0.0.1:");
  }

  @Test
  void postgresRunsARealServer() throws Exception {
    try (Connection c = infra.postgres().connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version_num")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(160000);
    }
    assertThat(infra.postgres().jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
  }

  @Test
  void externalUrlIsParsed() {
    PostgresServer pg =
        PostgresServer.external(
            "postgresql://postgres@127.0.0.1:"
                + infra.postgres().port()
                + "/"
                + PostgresServer.DEFAULT_DATABASE);
    assertThat(pg.jdbcUrl()).isEqualTo(infra.postgres().jdbcUrl());
    assertThat(pg.process()).isEmpty();
  }

  @Test
  void childJvmClasspathIncludesTheBroker() {
    assertThat(Classpaths.childJvmClasspath()).contains("kafka_2.13").contains("scala-library");
    assertThat(Path.of(Classpaths.javaBinary())).exists();
  }
}

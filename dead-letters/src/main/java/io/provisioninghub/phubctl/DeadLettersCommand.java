package io.provisioninghub.phubctl;

import io.provisioninghub.contracts.Topics;
import io.provisioninghub.support.deadletters.DeadLetterQueue;
import io.provisioninghub.support.deadletters.DeadLetterQueue.Letter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code phubctl dead-letters ...}: the records the processor set aside on {@code
 * scim.commands.dlq.v1}. Re-driving or dismissing marks them handled (the group {@code
 * phub-dead-letters}), which takes them off the backlog the processor reports and alerts on.
 */
@Command(
    name = "dead-letters",
    mixinStandardHelpOptions = true,
    description =
        "List, show, re-drive and dismiss dead-lettered commands (Kafka; never their bodies).",
    subcommands = {
      DeadLettersCommand.ListLetters.class,
      DeadLettersCommand.Show.class,
      DeadLettersCommand.Redrive.class,
      DeadLettersCommand.Dismiss.class
    })
final class DeadLettersCommand {

  /** Records older than this are refused unless {@code --force} is given. */
  static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

  private static final int MAX_OPERATOR_LENGTH = 200;

  /** The dead-letter topic option every subcommand takes. */
  static final class TopicOption {
    @Option(
        names = "--topic",
        defaultValue = Topics.COMMANDS_DLQ,
        description = "the dead-letter topic (default ${DEFAULT-VALUE})")
    String topic;
  }

  /** One record, by its coordinates on the dead-letter topic. */
  static final class Coordinates {
    @Option(names = "--partition", required = true)
    int partition;

    @Option(names = "--offset", required = true)
    long offset;
  }

  static DeadLetterQueue queue(CommandSpec spec, String topic) {
    return new DeadLetterQueue(Phubctl.of(spec).kafka(), topic);
  }

  static void print(CommandSpec spec, List<Letter> letters, String topic, String what) {
    Phubctl root = Phubctl.of(spec);
    root.print(
        Phubctl.JSON.valueToTree(letters.stream().map(Letter::describe).toList()),
        ignored -> {
          StringBuilder text = new StringBuilder();
          letters.forEach(l -> text.append(l.line()).append('\n'));
          return text.append(letters.size())
              .append(' ')
              .append(what)
              .append(" on ")
              .append(topic)
              .toString();
        });
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The records not handled yet (with --all: every record the topic still keeps).")
  static final class ListLetters implements Runnable {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = false)
    TopicOption topic = new TopicOption();

    @Option(names = "--all", description = "also the records already re-driven or dismissed")
    boolean all;

    @Override
    public void run() {
      List<Letter> letters =
          queue(spec, topic.topic).read().stream().filter(l -> all || !l.handled()).toList();
      print(spec, letters, topic.topic, all ? "dead-lettered record(s)" : "unhandled record(s)");
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One record's origin, reason and headers (never its body).")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = false)
    TopicOption topic = new TopicOption();

    @ArgGroup(exclusive = false, multiplicity = "1")
    Coordinates at;

    @Override
    public void run() {
      Letter letter =
          queue(spec, topic.topic).read().stream()
              .filter(l -> l.record().partition() == at.partition)
              .filter(l -> l.record().offset() == at.offset)
              .findFirst()
              .orElseThrow(
                  () ->
                      new Phubctl.Failure(
                          Phubctl.REFUSED,
                          "no record at " + topic.topic + "-" + at.partition + "@" + at.offset));
      Map<String, Object> described = new java.util.LinkedHashMap<>(letter.describe());
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      letter
          .record()
          .headers()
          .forEach(
              h ->
                  headers.put(
                      h.key(),
                      h.value() == null
                          ? null
                          : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
      described.put("headers", headers);
      Phubctl.of(spec)
          .print(
              Phubctl.JSON.valueToTree(described),
              node -> {
                StringBuilder text = new StringBuilder(letter.line());
                headers.forEach((k, v) -> text.append("\n  ").append(k).append(": ").append(v));
                return text.toString();
              });
    }
  }

  /** --all, or one record. */
  static final class Choice {
    @Option(names = "--all", required = true, description = "every record not handled yet")
    boolean all;

    @ArgGroup(exclusive = false)
    Coordinates one;
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description = {
        "Send records back to scim.commands.v1, with the operator recorded, and mark them handled.",
        "Only records that came from scim.commands.v1 go back, only there. Safe to repeat: the"
            + " processor applies a command id at most once."
      })
  static final class Redrive implements Runnable {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = false)
    TopicOption topic = new TopicOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    @Option(names = "--operator", description = "who re-drives (default $USER)")
    String operator;

    @Option(
        names = "--max-age",
        defaultValue = "24h",
        description =
            "refuse commands older than this (default ${DEFAULT-VALUE}): 90s, 30m, 24h, 7d or"
                + " ISO-8601")
    String maxAge;

    @Option(names = "--force", description = "re-drive commands older than --max-age too")
    boolean force;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      Duration limit = Durations.parse("--max-age", maxAge, false);
      String who = operator != null ? operator : root.env("USER");
      operatorProblem(who).ifPresent(p -> failUsage(p));
      DeadLetterQueue queue = queue(spec, topic.topic);
      List<Letter> letters = queue.read();
      List<Letter> chosen =
          letters.stream()
              .filter(
                  l ->
                      choice.all
                          ? !l.handled()
                          : l.record().partition() == choice.one.partition
                              && l.record().offset() == choice.one.offset)
              .toList();
      if (chosen.isEmpty()) {
        if (choice.all) {
          root.out().println("nothing to re-drive on " + topic.topic);
          return;
        }
        throw new Phubctl.Failure(Phubctl.REFUSED, "no such dead-lettered record");
      }
      Instant now = Instant.now();
      List<ConsumerRecord<byte[], byte[]>> accepted = new ArrayList<>();
      int refused = 0;
      for (Letter l : chosen) {
        Optional<String> why = DeadLetterQueue.refusal(l.record(), now, limit, force);
        if (why.isPresent()) {
          refused++;
          root.err()
              .println(
                  "refused "
                      + topic.topic
                      + "-"
                      + l.record().partition()
                      + "@"
                      + l.record().offset()
                      + ": "
                      + why.get());
        } else {
          accepted.add(l.record());
        }
      }
      String by = who.trim();
      for (String sent : queue.redrive(accepted, by)) {
        root.out()
            .println("re-drove " + sent + " to " + DeadLetterQueue.REDRIVE_TOPIC + " by " + by);
      }
      queue.markHandled(DeadLetterQueue.handledMarks(letters, accepted));
      if (refused > 0) {
        throw new Phubctl.Failure(
            Phubctl.REFUSED, refused + " record(s) refused; the others were re-driven");
      }
    }

    private void failUsage(String problem) {
      throw new Phubctl.Failure(Phubctl.USAGE, problem);
    }
  }

  /** --all, or a partition through an offset. */
  static final class Through {
    @Option(names = "--partition", required = true)
    int partition;

    @Option(names = "--through", required = true, description = "the last offset to dismiss")
    long through;
  }

  static final class DismissChoice {
    @Option(names = "--all", required = true, description = "every record there is now")
    boolean all;

    @ArgGroup(exclusive = false)
    Through range;
  }

  @Command(
      name = "dismiss",
      mixinStandardHelpOptions = true,
      description =
          "Mark records handled without re-driving them (the identity provider retried them, or"
              + " they are not wanted).")
  static final class Dismiss implements Runnable {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = false)
    TopicOption topic = new TopicOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    DismissChoice choice;

    @Override
    public void run() {
      Phubctl root = Phubctl.of(spec);
      DeadLetterQueue queue = queue(spec, topic.topic);
      Map<TopicPartition, Long> ends = queue.ends();
      Map<TopicPartition, Long> below;
      if (choice.all) {
        below = ends;
      } else {
        TopicPartition tp = new TopicPartition(topic.topic, choice.range.partition);
        below = Map.of(tp, dismissedBelow(tp, choice.range.through, ends));
      }
      queue.markHandled(below);
      root.print(
          Phubctl.JSON.valueToTree(
              below.entrySet().stream()
                  .map(
                      e ->
                          Map.of("partition", e.getKey().partition(), "handledBelow", e.getValue()))
                  .toList()),
          ignored -> {
            StringBuilder text = new StringBuilder();
            below.forEach(
                (tp, offset) ->
                    text.append("dismissed ")
                        .append(tp)
                        .append(" below offset ")
                        .append(offset)
                        .append('\n'));
            return text.toString().trim();
          });
    }
  }

  /**
   * The commit that dismisses {@code tp} through {@code through}. A commit past the partition's end
   * would count records not written yet as handled (and the backlog, end minus commit, below zero),
   * so an offset the partition does not have yet is refused.
   */
  static long dismissedBelow(TopicPartition tp, long through, Map<TopicPartition, Long> ends) {
    Long end = ends.get(tp);
    if (end == null) {
      throw new Phubctl.Failure(
          Phubctl.REFUSED, tp.topic() + " has no partition " + tp.partition());
    }
    if (through < 0 || through >= end) {
      throw new Phubctl.Failure(
          Phubctl.REFUSED,
          "no record at "
              + tp
              + "@"
              + through
              + ": the partition's records end below offset "
              + end);
    }
    return through + 1;
  }

  static Optional<String> operatorProblem(String operator) {
    if (operator == null || operator.isBlank()) {
      return Optional.of("redrive needs the operator's name: --operator NAME (or $USER)");
    }
    String name = operator.trim();
    if (name.length() > MAX_OPERATOR_LENGTH) {
      return Optional.of("--operator is longer than " + MAX_OPERATOR_LENGTH + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("--operator must not contain control characters");
    }
    return Optional.empty();
  }
}

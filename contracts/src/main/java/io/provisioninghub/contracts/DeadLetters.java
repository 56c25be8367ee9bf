package io.provisioninghub.contracts;

/** What a dead-lettered record carries, and how it is marked as handled. */
public final class DeadLetters {

  /**
   * The consumer group whose committed offsets on a dead-letter topic mark the records an operator
   * has handled (re-driven or dismissed): everything below a partition's committed offset is
   * handled, everything from it on is the backlog. Only the operator CLI commits in this group; no
   * consumer runs in it.
   */
  public static final String HANDLED_GROUP = "phub-dead-letters";

  /** Header the processor writes on a dead letter: why it was set aside. */
  public static final String REASON = "dead-letter-reason";

  /** Headers the processor writes on a dead letter: where the record was. */
  public static final String ORIGINAL_TOPIC = "dead-letter-topic";

  public static final String ORIGINAL_PARTITION = "dead-letter-partition";
  public static final String ORIGINAL_OFFSET = "dead-letter-offset";

  /**
   * Header of a re-driven record: the dead letter it came from ({@code topic-partition@offset}).
   */
  public static final String REDRIVEN_FROM = "phub-redriven-from";

  /** Header of a re-driven record: the operator who re-drove it. */
  public static final String REDRIVEN_BY = "phub-redriven-by";

  private DeadLetters() {}
}

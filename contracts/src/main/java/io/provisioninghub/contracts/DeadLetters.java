package io.provisioninghub.contracts;

/** How dead-lettered records are marked as handled. */
public final class DeadLetters {

  /**
   * The consumer group whose committed offsets on a dead-letter topic mark the records an operator
   * has handled (re-driven or dismissed): everything below a partition's committed offset is
   * handled, everything from it on is the backlog. Only the operator CLI commits in this group; no
   * consumer runs in it.
   */
  public static final String HANDLED_GROUP = "phub-dead-letters";

  private DeadLetters() {}
}

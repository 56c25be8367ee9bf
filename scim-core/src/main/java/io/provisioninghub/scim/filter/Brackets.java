package io.provisioninghub.scim.filter;

/** Bracket nesting in SCIM filters and paths, ignoring brackets inside quoted values. */
public final class Brackets {

  /** Returned by {@link #maxDepth} for unbalanced brackets or an unterminated quote. */
  public static final int UNBALANCED = -1;

  private Brackets() {}

  /**
   * The deepest nesting of {@code [ ]} (and of {@code ( )} when {@code withParentheses}) outside
   * double-quoted values, or {@link #UNBALANCED}.
   */
  public static int maxDepth(String text, boolean withParentheses) {
    int depth = 0;
    int max = 0;
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '[' || (withParentheses && c == '(')) {
        max = Math.max(max, ++depth);
      } else if (c == ']' || (withParentheses && c == ')')) {
        if (--depth < 0) {
          return UNBALANCED;
        }
      }
    }
    return depth != 0 || quoted ? UNBALANCED : max;
  }
}

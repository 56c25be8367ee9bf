package io.provisioninghub.support.consumer;

/**
 * Text as PostgreSQL can hold it. A Java string may carry U+0000 or a lone surrogate (JSON allows
 * both as escapes); PostgreSQL text refuses the first (SQL state 22021), jsonb refuses {@code
 * \u0000} escapes (22P05), and UTF-8 has no form for the second. A consumer that stores what a
 * record says replaces them with U+FFFD instead of losing the record.
 */
public final class StorableText {

  private static final char REPLACEMENT = '\uFFFD';

  private StorableText() {}

  /** The text with U+0000 and lone surrogates replaced by U+FFFD; null stays null. */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < text.length()
              && Character.isLowSurrogate(text.charAt(i + 1));
      boolean bad = c == 0 || (Character.isSurrogate(c) && !pair);
      if (bad && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (out != null) {
        out.append(bad ? REPLACEMENT : c);
        if (pair) {
          out.append(text.charAt(i + 1));
        }
      }
      if (pair) {
        i++;
      }
    }
    return out == null ? text : out.toString();
  }
}

package io.provisioninghub.scim.filter;

import com.unboundid.scim2.common.filters.Filter;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;

/**
 * Parses RFC 7644 section 3.4.2.2 filters with the UnboundID SDK, turning every failure into a
 * {@link BadRequestException} with {@code invalidFilter}; a filter over the {@link FilterCost}
 * limits, or with a value PostgreSQL cannot hold, is refused the same way. Adds one form the RFC
 * grammar lacks but clients send: {@code emails[type eq "work"].value eq "x"}, read as {@code
 * emails[type eq "work" and value eq "x"]}.
 */
public final class ScimFilters {

  /** Far above any real filter; bounds the work one request can cause. */
  static final int MAX_LENGTH = 8192;

  /** The SDK parser recurses per nesting level; a hostile filter must not exhaust the stack. */
  static final int MAX_DEPTH = 32;

  private ScimFilters() {}

  public static Filter parse(String filter) {
    if (filter == null || filter.isBlank()) {
      throw invalid("The filter is empty");
    }
    if (filter.length() > MAX_LENGTH) {
      throw invalid("The filter is longer than " + MAX_LENGTH + " characters");
    }
    FilterCost.checkText(filter, "text");
    checkDepth(filter);
    String text = rewriteValuePathSubAttributes(filter);
    Filter parsed;
    try {
      parsed = Filter.fromString(text);
    } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
      throw invalid("Invalid filter '" + filter + "': " + readable(e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      throw invalid("Invalid filter '" + filter + "'");
    }
    FilterCost.check(parsed);
    return parsed;
  }

  private static BadRequestException invalid(String detail) {
    return new BadRequestException(ScimType.invalidFilter, detail);
  }

  /** The SDK wraps Jackson messages that quote parser internals; keep the first, human part. */
  static String readable(String message) {
    if (message == null) {
      return "syntax error";
    }
    String first = message.lines().findFirst().orElse(message);
    for (String noise :
        new String[] {" (start marker", " at [Source", ": Unexpected end-of-input"}) {
      int at = first.indexOf(noise);
      if (at > 0) {
        first = first.substring(0, at);
      }
    }
    return first.strip();
  }

  private static void checkDepth(String filter) {
    int depth = Brackets.maxDepth(filter, true);
    if (depth == Brackets.UNBALANCED) {
      // The SDK tolerates a missing closing bracket; a truncated filter must not match anything.
      throw invalid("Unbalanced brackets or quotes in filter '" + filter + "'");
    }
    if (depth > MAX_DEPTH) {
      throw invalid("The filter nests deeper than " + MAX_DEPTH + " levels");
    }
  }

  /**
   * Rewrites {@code attr[F].sub op value} and {@code attr[F].sub pr} into {@code attr[(F) and sub
   * op value]}; leaves anything it does not recognise for the parser to reject.
   */
  static String rewriteValuePathSubAttributes(String filter) {
    String text = filter;
    for (int guard = 0; guard < 64; guard++) {
      String next = rewriteOnce(text);
      if (next.equals(text)) {
        return text;
      }
      text = next;
    }
    return text;
  }

  private static String rewriteOnce(String s) {
    boolean quoted = false;
    int open = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      if (c == '"') {
        quoted = true;
      } else if (c == '[') {
        open = i;
      } else if (c == ']' && open >= 0 && i + 1 < s.length() && s.charAt(i + 1) == '.') {
        int nameStart = i + 2;
        int nameEnd = nameStart;
        while (nameEnd < s.length() && isNameChar(s.charAt(nameEnd))) {
          nameEnd++;
        }
        if (nameEnd == nameStart) {
          return s;
        }
        int opStart = skipSpaces(s, nameEnd);
        int opEnd = opStart;
        while (opEnd < s.length() && Character.isLetter(s.charAt(opEnd))) {
          opEnd++;
        }
        if (opEnd == opStart || opStart == nameEnd) {
          return s;
        }
        String op = s.substring(opStart, opEnd);
        int end = opEnd;
        if (!op.equalsIgnoreCase("pr")) {
          int valueStart = skipSpaces(s, opEnd);
          if (valueStart == opEnd) {
            return s;
          }
          end = valueEnd(s, valueStart);
          if (end < 0) {
            return s;
          }
        }
        String inner = s.substring(open + 1, i);
        String condition = s.substring(nameStart, end);
        return s.substring(0, open + 1)
            + "("
            + inner
            + ") and "
            + condition
            + "]"
            + s.substring(end);
      }
    }
    return s;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$';
  }

  private static int skipSpaces(String s, int from) {
    int i = from;
    while (i < s.length() && s.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  /** End of a JSON value token starting at {@code start}, or -1 if a string is unterminated. */
  private static int valueEnd(String s, int start) {
    if (start >= s.length()) {
      return -1;
    }
    if (s.charAt(start) == '"') {
      for (int i = start + 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          return i + 1;
        }
      }
      return -1;
    }
    int i = start;
    while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != ')' && s.charAt(i) != ']') {
      i++;
    }
    return i;
  }
}

package io.provisioninghub.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.ScimType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The shape and text rules every client document obeys, whatever its schema: bounded nesting,
 * attribute names unique regardless of case, and strings that are valid Unicode without NUL or
 * other control characters (docs/input-contract.md). Walks are iterative, so no document, however
 * deep, can exhaust the stack here.
 */
public final class InputRules {

  /**
   * Deepest nesting scim-core accepts in a document it is handed (an object or array inside another
   * counts one level). The gateway's parser refuses far shallower bodies first; this bound protects
   * code downstream of Kafka, and Jackson's own recursive deepCopy/equals.
   */
  public static final int MAX_DEPTH = 64;

  private InputRules() {}

  /** How much of the control-character range a string may use. */
  public enum Text {
    /** Identifiers, references, type labels, attribute names: no control character at all. */
    IDENTIFIER,
    /** Free text (display names, addresses, unknown extension values): TAB, CR and LF allowed. */
    FREE_TEXT
  }

  /**
   * Checks {@code root} and everything inside it: depth at most {@link #MAX_DEPTH}, no two keys of
   * one object equal regardless of case, keys as {@link Text#IDENTIFIER}, string values as {@link
   * Text#FREE_TEXT}. {@code where} names the root in error messages (an attribute path, or empty
   * for a whole body).
   */
  public static void checkTree(JsonNode root, String where) {
    if (root == null) {
      return;
    }
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, where, 0));
    while (!stack.isEmpty()) {
      Frame f = stack.pop();
      JsonNode node = f.node;
      if (node.isTextual()) {
        checkString(node.textValue(), f.where, Text.FREE_TEXT);
        continue;
      }
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
        throw new BadRequestException(
            ScimType.invalidValue, label(f.where) + " is a number out of range");
      }
      if (!node.isContainerNode()) {
        continue;
      }
      if (f.depth >= MAX_DEPTH) {
        throw new BadRequestException(
            ScimType.invalidSyntax,
            "the document is nested deeper than " + MAX_DEPTH + " levels at " + label(f.where));
      }
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          stack.push(new Frame(node.get(i), f.where + "[" + i + "]", f.depth + 1));
        }
        continue;
      }
      Set<String> seen = new HashSet<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        String key = e.getKey();
        String path = f.where.isEmpty() ? key : f.where + "." + key;
        checkString(key, "the attribute name " + quoted(path), Text.IDENTIFIER);
        if (!seen.add(key.toLowerCase(Locale.ROOT))) {
          throw new BadRequestException(
              ScimType.invalidSyntax,
              "the attribute "
                  + quoted(path)
                  + " appears twice (attribute names are case-insensitive)");
        }
        stack.push(new Frame(e.getValue(), path, f.depth + 1));
      }
    }
  }

  /** Refuses a document nested deeper than {@link #MAX_DEPTH}, before anything recursive runs. */
  public static void checkDepth(JsonNode root, String what) {
    if (root == null || !root.isContainerNode()) {
      return;
    }
    Deque<JsonNode> level = new ArrayDeque<>();
    level.add(root);
    for (int depth = 0; !level.isEmpty(); depth++) {
      if (depth >= MAX_DEPTH) {
        throw new BadRequestException(
            ScimType.invalidSyntax, what + " is nested deeper than " + MAX_DEPTH + " levels");
      }
      Deque<JsonNode> next = new ArrayDeque<>();
      for (JsonNode n : level) {
        for (JsonNode child : n) {
          if (child.isContainerNode()) {
            next.add(child);
          }
        }
      }
      level = next;
    }
  }

  /**
   * Refuses {@code value} if it is not valid UTF-16 (an unpaired surrogate, which Jackson yields
   * for a {@code "\ud83d"} escape), holds NUL, or holds a control character the rule forbids.
   * {@code where} is the attribute path named in the 400 invalidValue.
   */
  public static void checkString(String value, String where, Text rule) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
          continue;
        }
        throw invalid(where, "holds an unpaired UTF-16 surrogate " + codePoint(c) + " at " + i);
      }
      if (Character.isLowSurrogate(c)) {
        throw invalid(where, "holds an unpaired UTF-16 surrogate " + codePoint(c) + " at " + i);
      }
      if (c == 0) {
        throw invalid(where, "holds a NUL character (U+0000) at " + i);
      }
      if (Character.getType(c) == Character.CONTROL
          && !(rule == Text.FREE_TEXT && (c == '\t' || c == '\n' || c == '\r'))) {
        throw invalid(
            where,
            "holds the control character "
                + codePoint(c)
                + " at "
                + i
                + (rule == Text.IDENTIFIER
                    ? " (identifiers allow none)"
                    : " (free text allows only TAB, CR and LF)"));
      }
    }
  }

  private static BadRequestException invalid(String where, String what) {
    return new BadRequestException(ScimType.invalidValue, label(where) + " " + what);
  }

  private static String label(String where) {
    if (where.isEmpty()) {
      return "the body";
    }
    return where.startsWith("the ") ? where : quoted(where);
  }

  private static String quoted(String path) {
    return "'" + printable(path) + "'";
  }

  /** A path for an error message: control characters and surrogates shown as escapes. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && out.length() < 200; i++) {
      char c = s.charAt(i);
      if (Character.getType(c) == Character.CONTROL || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  private record Frame(JsonNode node, String where, int depth) {}
}

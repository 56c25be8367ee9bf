package io.provisioninghub.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import io.provisioninghub.scim.schema.ScimSchemas;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes the user's {@code password} (RFC 7643 section 4.1.1: writeOnly, returned never) out of
 * validated request bodies, so that what is published, stored and answered never holds it. The
 * caller decides what becomes of the plaintext (dropped or hashed, per the tenant's policy).
 */
public final class Passwords {

  /** The attribute's name in the core User schema. */
  public static final String ATTRIBUTE = "password";

  private Passwords() {}

  /**
   * A body without its password, and what the request did to the password.
   *
   * @param body the body to publish; the same object when the request did not touch the password
   * @param set null if untouched, true if a password was set, false if it was removed
   * @param plaintext the new password when {@code set} is true; never to be published or stored
   */
  public record Extracted(ObjectNode body, Boolean set, String plaintext) {

    /** True if the request set or removed the password. */
    public boolean touched() {
      return set != null;
    }

    @Override
    public String toString() {
      return "Extracted[set=" + set + "]"; // never the plaintext
    }
  }

  /**
   * A normalized POST/PUT user document ({@link ResourceNormalizer}) without its password. The
   * normalizer already checked that a password is a string.
   */
  public static Extracted fromDocument(ObjectNode document) {
    ObjectNode copy = document.deepCopy();
    JsonNode removed = removeIgnoringCase(copy);
    if (removed == null) {
      return new Extracted(document, null, null);
    }
    if (removed.isNull()) {
      return new Extracted(copy, null, null);
    }
    return new Extracted(copy, true, removed.asText());
  }

  /**
   * A user PATCH body without the operations that target the password; {@code patch} is its parse,
   * already checked ({@link PatchApplier#check}). The last password operation decides ({@code
   * add}/{@code replace} set it, {@code remove} removes it). Without a password operation the body
   * is returned as it came; otherwise the remaining operations are written out one path each, which
   * the processor reads to the same patch. The result may have no operation left.
   */
  public static Extracted fromPatch(ObjectNode body, ScimPatch patch) {
    List<ScimPatch.Operation> kept = new ArrayList<>();
    Boolean set = null;
    String plaintext = null;
    for (ScimPatch.Operation op : patch.operations()) {
      if (!targetsPassword(op)) {
        kept.add(op);
        continue;
      }
      if (op.op() == ScimPatch.Op.REMOVE || op.value() == null || op.value().isNull()) {
        set = false;
        plaintext = null;
      } else {
        set = true;
        plaintext = op.value().asText();
      }
    }
    if (set == null) {
      return new Extracted(body, null, null);
    }
    ObjectNode out = Values.JSON.objectNode();
    out.putArray("schemas").add(ScimSchemas.PATCH_OP);
    ArrayNode ops = out.putArray("Operations");
    for (ScimPatch.Operation op : kept) {
      ObjectNode o = ops.addObject();
      o.put("op", op.op().name().toLowerCase(Locale.ROOT));
      o.put("path", op.path());
      if (op.value() != null) {
        o.set("value", op.value());
      }
    }
    return new Extracted(out, set, plaintext);
  }

  /** True if the PATCH body has operations left (a password-only PATCH has none). */
  public static boolean hasOperations(JsonNode patchBody) {
    JsonNode ops = PatchParser.field(patchBody, "Operations");
    return ops != null && ops.isArray() && !ops.isEmpty();
  }

  /** Removes a password from a stored or rendered user document; true if there was one. */
  public static boolean strip(ObjectNode document) {
    return removeIgnoringCase(document) != null;
  }

  private static boolean targetsPassword(ScimPatch.Operation op) {
    Path path = op.parsedPath();
    if (path == null || path.size() != 1) {
      return false;
    }
    String urn = path.getSchemaUrn();
    return (urn == null || urn.equalsIgnoreCase(ScimSchemas.CORE_USER))
        && path.getElement(0).getAttribute().equalsIgnoreCase(ATTRIBUTE);
  }

  private static JsonNode removeIgnoringCase(ObjectNode document) {
    JsonNode removed = null;
    Iterator<Map.Entry<String, JsonNode>> it = document.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(ATTRIBUTE)) {
        removed = e.getValue();
        it.remove();
      }
    }
    return removed;
  }
}

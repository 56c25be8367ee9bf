package io.provisioninghub.console.signin;

import io.provisioninghub.console.upstream.RegistryApi.RequiredClaim;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Whether a customer's ID token carries the claim its tenant requires for the console. */
final class ClaimCheck {

  private ClaimCheck() {}

  /** True if no claim is required, or the token's claim (a string or a list) holds a value. */
  static boolean passes(RequiredClaim required, JsonWebToken token) {
    if (required == null) {
      return true;
    }
    List<String> held = values(token.getClaim(required.name()));
    return held.stream().anyMatch(required.values()::contains);
  }

  private static List<String> values(Object claim) {
    List<String> out = new ArrayList<>();
    if (claim instanceof String s) {
      out.add(s);
    } else if (claim instanceof JsonString s) {
      out.add(s.getString());
    } else if (claim instanceof JsonArray array) {
      for (JsonValue v : array) {
        if (v instanceof JsonString s) {
          out.add(s.getString());
        }
      }
    } else if (claim instanceof Collection<?> items) {
      for (Object v : items) {
        out.addAll(values(v));
      }
    }
    return out;
  }
}

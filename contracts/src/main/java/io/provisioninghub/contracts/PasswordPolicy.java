package io.provisioninghub.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a tenant's gateway does with a SCIM {@code password} (docs/security.md, "Passwords"). In
 * neither case does the plaintext leave the gateway.
 */
public enum PasswordPolicy {
  /** Accepted and dropped: nothing stored or published but the fact that a password was set. */
  IGNORE,
  /** Hashed at the gateway (Argon2id, PHC string); the processor stores only the hash. */
  HASH;

  /** The wire form: {@code ignore} or {@code hash}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads the wire form, case-insensitively; null stays null (callers default to {@link #IGNORE}).
   *
   * @throws IllegalArgumentException any other value
   */
  @JsonCreator
  public static PasswordPolicy of(String value) {
    if (value == null) {
      return null;
    }
    for (PasswordPolicy p : values()) {
      if (p.name().equalsIgnoreCase(value.strip())) {
        return p;
      }
    }
    throw new IllegalArgumentException("passwordPolicy must be 'ignore' or 'hash'");
  }
}

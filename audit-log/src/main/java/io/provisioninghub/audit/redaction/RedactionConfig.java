package io.provisioninghub.audit.redaction;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** What the audit log keeps of a request body. Secrets are always removed; PII is optional. */
@ConfigMapping(prefix = "phub.audit.redaction")
public interface RedactionConfig {

  /**
   * Extra attribute-name fragments treated as secrets, beyond the built-in {@code password}, {@code
   * secret} and {@code token} (matched case-insensitively anywhere in the name).
   */
  Optional<List<String>> extraSecretMarkers();

  /** Whether the attributes in {@link #piiPaths()} are replaced by {@link #mask()}. */
  @WithDefault("true")
  boolean maskPii();

  /**
   * Attribute paths to mask, dotted and case-insensitive, array elements transparent: {@code
   * emails.value} masks every e-mail address, {@code name.*} every sub-attribute of name, {@code
   * addresses} the whole attribute.
   */
  @WithDefault("emails.value,phoneNumbers.value,name.*,addresses")
  List<String> piiPaths();

  @WithDefault("***")
  String mask();
}

package io.provisioninghub.console.operator;

import io.provisioninghub.console.ConsoleConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who is using an operator page: the OIDC login's identity, with the configured role ({@code
 * phub.console.operator.role}, read from {@code quarkus.oidc.roles.role-claim-path}).
 */
@Singleton
public class Operators {

  private final boolean enabled;
  private final String role;

  public Operators(
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled") boolean enabled, ConsoleConfig config) {
    this.enabled = enabled;
    this.role = config.operator().role();
  }

  /**
   * The operator of this request.
   *
   * @throws OperatorConsoleOff no identity provider is configured
   * @throws NotOperator signed in without the role (or, never reached with OIDC on, not at all)
   */
  public Operator require(SecurityIdentity identity) {
    if (!enabled) {
      throw new OperatorConsoleOff();
    }
    if (identity == null || identity.isAnonymous() || !identity.hasRole(role)) {
      throw new NotOperator();
    }
    return new Operator(name(identity.getPrincipal().getName()));
  }

  /**
   * The name as it goes into a token subject and a Kafka header: printable ASCII without spaces, at
   * most 128 characters (an ID token's name could hold anything).
   */
  static String name(String raw) {
    if (raw == null || raw.isBlank()) {
      return "unknown";
    }
    StringBuilder out = new StringBuilder();
    raw.strip()
        .codePoints()
        .limit(128)
        .forEach(c -> out.append(c > 0x20 && c < 0x7f && c != ':' ? (char) c : '_'));
    return out.toString();
  }
}

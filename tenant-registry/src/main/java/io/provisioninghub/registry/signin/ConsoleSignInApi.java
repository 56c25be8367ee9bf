package io.provisioninghub.registry.signin;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON documents of {@code /admin/v1/tenants/{id}/console-sign-in}. */
public final class ConsoleSignInApi {

  private ConsoleSignInApi() {}

  /** A claim the customer's ID token must carry with one of the listed values. */
  @Schema(name = "RequiredClaim")
  public record RequiredClaim(
      @Schema(description = "the ID token's claim, e.g. roles or groups") String name,
      @Schema(description = "accepted values; the claim (a string or a list) must hold one")
          List<String> values) {}

  /** What an operator sets: the customer's identity provider and the console's client there. */
  @Schema(name = "ConsoleSignInSettings")
  public record ConsoleSignInInput(
      @Schema(
              required = true,
              description =
                  "the OpenID Connect issuer (https), e.g."
                      + " https://login.microsoftonline.com/{tid}/v2.0")
          String issuer,
      @Schema(required = true, description = "the console's client (application) id there")
          String clientId,
      @Schema(
              description =
                  "the client secret; required the first time, kept as it is when omitted later."
                      + " Stored encrypted, never returned")
          String clientSecret,
      @Schema(description = "optional: who of the customer's users may sign in")
          RequiredClaim requiredClaim) {

    @Override
    public String toString() {
      return "ConsoleSignInInput[issuer="
          + issuer
          + ", clientId="
          + clientId
          + ", clientSecret=<redacted>]";
    }
  }

  /** The settings as the admin API shows them: never the secret. */
  @Schema(name = "ConsoleSignIn")
  public record ConsoleSignInView(
      String tenantId,
      String issuer,
      String clientId,
      @Schema(description = "always true: a secret is stored (it is never returned)")
          boolean clientSecretSet,
      RequiredClaim requiredClaim,
      Instant createdAt,
      String createdBy,
      Instant updatedAt,
      String updatedBy) {

    static ConsoleSignInView of(ConsoleSignInRow row) {
      return new ConsoleSignInView(
          row.tenantId(),
          row.issuer(),
          row.clientId(),
          true,
          row.requiredClaim(),
          row.createdAt(),
          row.createdBy(),
          row.updatedAt(),
          row.updatedBy());
    }
  }

  /**
   * What the console reads to run the sign-in: the settings with the decrypted secret and the
   * tenant's display name. Only for the console's own admin token (docs/security.md, "Console").
   */
  @Schema(name = "ConsoleSignInClient")
  public record ConsoleSignInClient(
      String tenantId,
      String displayName,
      String issuer,
      String clientId,
      String clientSecret,
      RequiredClaim requiredClaim) {

    @Override
    public String toString() {
      return "ConsoleSignInClient[tenantId="
          + tenantId
          + ", issuer="
          + issuer
          + ", clientId="
          + clientId
          + ", clientSecret=<redacted>]";
    }
  }
}

package io.provisioninghub.registry.setup;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON documents of {@code /admin/v1/tenants/{id}/setup-links} and the redemption. */
public final class SetupLinkApi {

  private SetupLinkApi() {}

  /** Options of a new setup link; the body may be omitted. */
  @Schema(name = "NewSetupLink")
  public record NewSetupLink(
      @Schema(
              description =
                  "minutes until the link stops working: 5-10080 (7 days), default 1440 (24 h)")
          Integer validForMinutes) {}

  /** A setup link's metadata; never its secret or hash. */
  @Schema(name = "SetupLink")
  public record SetupLinkView(
      String id,
      String tenantId,
      @Schema(enumeration = {"active", "redeemed", "expired", "revoked"}) String status,
      Instant createdAt,
      @Schema(description = "the principal of the admin token that created it") String createdBy,
      Instant expiresAt,
      Instant redeemedAt,
      Instant revokedAt) {

    static SetupLinkView of(SetupLinkRow row) {
      return new SetupLinkView(
          row.id().toString(),
          row.tenantId(),
          row.status(),
          row.createdAt(),
          row.createdBy(),
          row.expiresAt(),
          row.redeemedAt(),
          row.revokedAt());
    }
  }

  /** The one answer that carries the link's secret (in {@code url}): shown once, never stored. */
  @Schema(name = "IssuedSetupLink")
  public record IssuedSetupLink(
      String id,
      String tenantId,
      @Schema(
              description =
                  "the console's setup URL ending in the secret (phub_setup_...); hand it to the"
                      + " customer's admin now, it is never shown again and works once")
          String url,
      Instant expiresAt,
      Instant createdAt,
      String createdBy) {

    @Override
    public String toString() {
      // A record's default toString would print the secret into any log line that shows it.
      return "IssuedSetupLink[id=" + id + ", tenantId=" + tenantId + ", url=<redacted>]";
    }
  }

  /** What the console sends to redeem a link: the secret at the end of its URL. */
  @Schema(name = "SetupLinkRedemption")
  public record Redemption(
      @Schema(required = true, description = "phub_setup_ followed by 43 base64url characters")
          String token) {

    @Override
    public String toString() {
      return "Redemption[token=<redacted>]";
    }
  }

  /** A redeemed link: the console opens a session scoped to this tenant. */
  @Schema(name = "RedeemedSetupLink")
  public record Redeemed(String tenantId, String linkId, String displayName, Instant redeemedAt) {}
}

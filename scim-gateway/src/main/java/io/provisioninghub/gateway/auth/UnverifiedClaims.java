package io.provisioninghub.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.provisioninghub.contracts.ContractJson;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads the issuer of a JWT before it is verified, only to choose which tenant's keys and settings
 * verify it. Nothing read here is trusted: the verified token's {@code iss} decides the tenant.
 */
final class UnverifiedClaims {

  private static final String ENTRA_V1_ISSUER = "https://sts.windows.net/%s/";

  private UnverifiedClaims() {}

  /** Whether the bearer value has the shape of a JWS compact serialisation. */
  static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int last = token.lastIndexOf('.');
    return first > 0 && last > first + 1 && last < token.length() - 1;
  }

  /** The {@code iss} claim, or the Entra issuer of the {@code tid} claim when iss is absent. */
  static Optional<String> issuer(String token) {
    if (!looksLikeJwt(token)) {
      return Optional.empty();
    }
    String payload = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
    JsonNode claims;
    try {
      claims = ContractJson.mapper().readTree(Base64.getUrlDecoder().decode(payload));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (claims == null || !claims.isObject()) {
      return Optional.empty();
    }
    if (claims.path("iss").isTextual()) {
      return Optional.of(claims.get("iss").asText());
    }
    if (claims.path("tid").isTextual()) {
      return Optional.of(String.format(ENTRA_V1_ISSUER, claims.get("tid").asText()));
    }
    return Optional.empty();
  }
}

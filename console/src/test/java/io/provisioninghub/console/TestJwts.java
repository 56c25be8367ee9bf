package io.provisioninghub.console;

import java.security.PublicKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/** Reads a service token the console signed, failing unless this public key verifies it. */
public final class TestJwts {

  private TestJwts() {}

  public static JwtClaims verified(String token, PublicKey key) {
    try {
      return new JwtConsumerBuilder()
          .setVerificationKey(key)
          .setSkipDefaultAudienceValidation()
          .setRequireExpirationTime()
          .setRequireIssuedAt()
          .build()
          .processToClaims(token);
    } catch (InvalidJwtException e) {
      throw new AssertionError("not a valid token signed with this key: " + e.getMessage(), e);
    }
  }
}

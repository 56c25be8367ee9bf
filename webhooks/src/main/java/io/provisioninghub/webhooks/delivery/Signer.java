package io.provisioninghub.webhooks.delivery;

import io.provisioninghub.webhooks.endpoints.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures per the Standard Webhooks convention: {@code webhook-signature} is {@code v1,} and the
 * base64 HMAC-SHA256, under the secret's key, of {@code <webhook-id>.<webhook-timestamp>. <body>};
 * several (space-separated) while a rotated-out secret is still valid, so a receiver that still has
 * the old secret verifies too.
 */
public final class Signer {

  private Signer() {}

  public static String signature(List<String> secrets, String id, long timestamp, String body) {
    return secrets.stream()
        .map(secret -> "v1," + sign(secret, id, timestamp, body))
        .collect(Collectors.joining(" "));
  }

  static String sign(String secret, String id, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Secrets.hmacKey(secret), "HmacSHA256"));
      byte[] digest =
          mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}

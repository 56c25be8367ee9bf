package io.provisioninghub.samljit.provision;

import io.provisioninghub.samljit.SamlJitConfig;
import io.provisioninghub.support.sources.SourceTokens;
import jakarta.inject.Singleton;

/** saml-jit's tokens to the gateway: source {@code saml-jit} (ADR 0022, ADR 0023). */
@Singleton
public class ServiceTokens extends SourceTokens {

  public static final String SOURCE = "saml-jit";

  public ServiceTokens(SamlJitConfig config) {
    super(
        readPrivateKey(
            config.scim().signingKeyLocation(), "phub.saml-jit.scim.signing-key-location"),
        new Settings(
            config.scim().issuer(),
            config.scim().audience(),
            config.scim().tokenTtl(),
            "saml-jit",
            SOURCE));
  }
}

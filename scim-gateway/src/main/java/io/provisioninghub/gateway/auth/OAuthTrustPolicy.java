package io.provisioninghub.gateway.auth;

import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which OAuth trust settings the gateway follows. A tenant's trust comes from the registry, so the
 * gateway re-checks it before it fetches any keys: an issuer and a JWKS location must use HTTPS and
 * name a host that is not this machine (plain HTTP and loopback only in dev and test mode), and
 * keys are fetched only from hosts on the allowlist.
 */
final class OAuthTrustPolicy {

  private final List<String> jwksHostAllowlist;
  private final boolean allowHttpAndLoopback;

  /**
   * @param jwksHostAllowlist exact host names, or {@code *.domain} for any host under that domain
   * @param allowHttpAndLoopback true only in dev and test mode
   */
  OAuthTrustPolicy(List<String> jwksHostAllowlist, boolean allowHttpAndLoopback) {
    this.jwksHostAllowlist =
        jwksHostAllowlist.stream()
            .map(String::trim)
            .filter(h -> !h.isEmpty())
            .map(h -> h.toLowerCase(Locale.ROOT))
            .toList();
    this.allowHttpAndLoopback = allowHttpAndLoopback;
  }

  /** Why the gateway must not follow this trust, or empty if it may. */
  Optional<String> refusal(OAuthTrust trust) {
    Optional<String> issuer = location(trust.issuer(), "issuer");
    if (issuer.isPresent()) {
      return issuer;
    }
    Optional<String> jwks = location(trust.jwksUri(), "JWKS location");
    if (jwks.isPresent()) {
      return jwks;
    }
    String host = URI.create(trust.jwksUri()).getHost().toLowerCase(Locale.ROOT);
    if (!allowed(host)) {
      return Optional.of(
          "the JWKS host "
              + host
              + " is not on phub.gateway.oauth.jwks-host-allowlist "
              + jwksHostAllowlist);
    }
    return Optional.empty();
  }

  private Optional<String> location(String value, String what) {
    URI uri;
    try {
      uri = value == null ? null : new URI(value);
    } catch (URISyntaxException e) {
      return Optional.of("the " + what + " is not a URL");
    }
    if (uri == null || !uri.isAbsolute() || uri.getHost() == null) {
      return Optional.of("the " + what + " is not an absolute URL with a host");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && allowHttpAndLoopback)) {
      return Optional.of("the " + what + " must use https");
    }
    if (uri.getUserInfo() != null) {
      return Optional.of("the " + what + " must not carry user information");
    }
    if (!allowHttpAndLoopback && isLocal(uri.getHost())) {
      return Optional.of("the " + what + " names this machine (" + uri.getHost() + ")");
    }
    return Optional.empty();
  }

  private boolean allowed(String host) {
    for (String pattern : jwksHostAllowlist) {
      if (pattern.startsWith("*.")) {
        if (host.endsWith(pattern.substring(1)) && host.length() > pattern.length() - 1) {
          return true;
        }
      } else if (host.equals(pattern)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Loopback, unspecified or link-local: {@code localhost} and its subdomains and IP literals only.
   * Host names are never resolved here (no DNS lookup on a request's path).
   */
  static boolean isLocal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    boolean ipv6 = h.startsWith("[") && h.endsWith("]");
    boolean ipv4 = h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (!ipv6 && !ipv4) {
      return false;
    }
    try {
      // A literal address: parsed, not looked up.
      InetAddress address = InetAddress.getByName(ipv6 ? h.substring(1, h.length() - 1) : h);
      return address.isLoopbackAddress()
          || address.isAnyLocalAddress()
          || address.isLinkLocalAddress();
    } catch (UnknownHostException e) {
      return true; // not a valid literal: treat as unsafe
    }
  }
}

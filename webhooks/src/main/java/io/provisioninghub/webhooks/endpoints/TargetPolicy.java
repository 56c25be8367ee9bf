package io.provisioninghub.webhooks.endpoints;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs deliveries may go to. Receivers are outbound calls from our network, so outside dev
 * and test only https to public addresses: not loopback, private (10/8, 172.16/12, 192.168/16),
 * link-local (169.254/16, fe80::/10, where cloud metadata services answer), unique-local
 * (fc00::/7), carrier-grade NAT (100.64/10), any-local or multicast. Checked when an endpoint is
 * registered and again, after DNS resolution, before every attempt (a name may be re-pointed).
 */
public final class TargetPolicy {

  private final boolean allowPrivate;

  public TargetPolicy(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** Why this URL may not be used, or empty if it may. */
  public Optional<String> refusal(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Optional.of("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
      return Optional.of("only https URLs are allowed");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      return Optional.of("the URL has no host");
    }
    if (uri.getUserInfo() != null) {
      return Optional.of("credentials in the URL are not allowed");
    }
    if (allowPrivate) {
      return Optional.empty();
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(uri.getHost());
    } catch (UnknownHostException e) {
      return Optional.of("the host does not resolve");
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        return Optional.of(
            "the host resolves to a private, loopback or link-local address ("
                + address.getHostAddress()
                + ")");
      }
    }
    return Optional.empty();
  }

  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] b = address.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return (first == 100 && second >= 64 && second <= 127) || first == 0;
    }
    return (b[0] & 0xfe) == 0xfc; // fc00::/7
  }
}

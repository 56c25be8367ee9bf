package io.provisioninghub.gateway.http;

import io.provisioninghub.gateway.GatewayConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The base of every link the gateway writes ({@code meta.location}, {@code Location}, {@code
 * $ref}): the configured public URL ({@code phub.gateway.public-base-url}), never the client's
 * {@code Host} or {@code X-Forwarded-*} headers, which a client chooses. Without a configured URL a
 * gateway bound to a loopback address links to the address the connection arrived on (local use and
 * tests); one bound to any other address refuses to start outside dev and test.
 */
@ApplicationScoped
public class PublicLinks {

  static final String PROPERTY = "phub.gateway.public-base-url";

  private final Optional<String> configured;
  private final String httpHost;

  public PublicLinks(
      GatewayConfig config, @ConfigProperty(name = "quarkus.http.host") String httpHost) {
    this.configured = config.publicBaseUrl().map(PublicLinks::checked);
    this.httpHost = httpHost;
  }

  void requireOutsideLoopback(@Observes StartupEvent started) {
    if (configured.isEmpty()
        && LaunchMode.current() == LaunchMode.NORMAL
        && !isLoopback(httpHost)) {
      throw new IllegalStateException(
          "the gateway listens on "
              + httpHost
              + " but "
              + PROPERTY
              + " is not set: set it to the URL clients reach the gateway at (for example"
              + " https://scim.example.com); links are never built from the client's Host header");
    }
  }

  /** The SCIM base URL, e.g. {@code https://scim.example.com/scim/v2}. */
  public String scimBase(HttpServerRequest request) {
    return configured.orElseGet(() -> local(request)) + "/scim/v2";
  }

  private static String local(HttpServerRequest request) {
    SocketAddress address = request.localAddress();
    String host = address.hostAddress();
    if (host != null && host.contains(":")) {
      host = "[" + host + "]";
    }
    return (request.isSSL() ? "https://" : "http://") + host + ":" + address.port();
  }

  static String checked(URI uri) {
    String scheme = uri.getScheme();
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          PROPERTY + " must be an absolute http(s) URL without query, fragment or user: " + uri);
    }
    String text = uri.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

package io.provisioninghub.gateway.http;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.error.HttpLayerErrors;
import io.provisioninghub.scim.error.ScimType;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The first look at every request, before routing: a request target over the length limit (414),
 * headers over the size limit (431), a target that is not a URI or whose percent-encoding is
 * malformed or not UTF-8 (400). SCIM requests get a SCIM error body, others an empty one.
 *
 * <p>Vert.x's own line and header limits are set far above these, so such requests reach this
 * filter instead of being answered by the HTTP decoder without a body. Quarkus checks the URI
 * itself before any route runs (an empty 400) unless the JVM runs with {@code
 * -Dvertx.disableURIValidation=true}; then this filter does the same check and answers it.
 */
public class RequestLimits {

  private static final Logger LOG = Logger.getLogger(RequestLimits.class);

  static final String URI_VALIDATION_PROPERTY = "vertx.disableURIValidation";

  private final int maxUriLength;
  private final int maxHeaderBytes;

  public RequestLimits(GatewayConfig config) {
    this.maxUriLength = config.maxUriLength();
    this.maxHeaderBytes = config.maxHeaderBytes();
  }

  void warnIfQuarkusValidatesUris(@Observes StartupEvent started) {
    if (!Boolean.getBoolean(URI_VALIDATION_PROPERTY)) {
      LOG.warnf(
          "malformed request URIs (e.g. bad percent-encoding) get an empty 400 from Quarkus, not a"
              + " SCIM error: start the JVM with -D%s=true to let the gateway answer them",
          URI_VALIDATION_PROPERTY);
    }
  }

  // Before every other filter: they may read the query parameters, which throws on a malformed
  // percent-encoding (so ScimRequestMetrics, at 1000, does not time these refusals).
  @RouteFilter(1001)
  void check(RoutingContext rc) {
    String uri = rc.request().uri();
    if (uri == null || uri.isEmpty()) {
      refuse(rc, 400, "the request has no target");
      return;
    }
    if (uri.length() > maxUriLength) {
      refuse(
          rc,
          414,
          "the request URI is "
              + uri.length()
              + " characters long; the limit is "
              + maxUriLength
              + " (send shorter filters, or fewer attributes)");
      return;
    }
    long headerBytes = headerBytes(rc.request().headers());
    if (headerBytes > maxHeaderBytes) {
      refuse(
          rc,
          431,
          "the request headers are "
              + headerBytes
              + " bytes; the limit is "
              + maxHeaderBytes
              + " bytes");
      return;
    }
    String encodingProblem = encodingProblem(uri);
    if (encodingProblem != null) {
      refuse(rc, 400, encodingProblem);
      return;
    }
    rc.next();
  }

  private static void refuse(RoutingContext rc, int status, String detail) {
    if (HttpLayerErrors.isScim(rc)) {
      HttpLayerErrors.refuse(rc, status, status == 400 ? ScimType.invalidSyntax : null, detail);
    } else {
      rc.response().setStatusCode(status).putHeader("Connection", "close").end();
    }
  }

  /** About what the HTTP decoder counts: each header line with its separator and line end. */
  private static long headerBytes(MultiMap headers) {
    long total = 0;
    for (Map.Entry<String, String> header : headers) {
      total += header.getKey().length() + header.getValue().length() + 4;
    }
    return total;
  }

  /**
   * Why {@code uri} cannot be read, or null: not an RFC 3986 reference (as Quarkus checks it), a
   * {@code %} not followed by two hex digits, or percent-encoded bytes that are not UTF-8.
   */
  static String encodingProblem(String uri) {
    try {
      new URI(uri);
    } catch (URISyntaxException e) {
      return "the request URI is malformed: "
          + e.getReason()
          + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "")
          + " (percent-encode reserved characters; '%' itself as %25)";
    }
    int query = uri.indexOf('?');
    String problem = utf8Problem(query < 0 ? uri : uri.substring(0, query), "path");
    if (problem == null && query >= 0) {
      problem = utf8Problem(uri.substring(query + 1), "query");
    }
    return problem;
  }

  private static String utf8Problem(String part, String name) {
    if (part.indexOf('%') < 0) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(part.length() * 3);
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      if (c == '%') {
        int high = i + 2 < part.length() ? Character.digit(part.charAt(i + 1), 16) : -1;
        int low = i + 2 < part.length() ? Character.digit(part.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          return "the request URI's "
              + name
              + " has a malformed percent-encoding at '"
              + part.substring(i, Math.min(part.length(), i + 3))
              + "' ('%' must be followed by two hex digits; send '%' itself as %25)";
        }
        bytes.put((byte) (high * 16 + low));
        i += 2;
      } else {
        bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    bytes.flip();
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes);
      return null;
    } catch (CharacterCodingException e) {
      return "the request URI's "
          + name
          + " has percent-encoded bytes that are not UTF-8 (RFC 7644 and RFC 3986 expect UTF-8)";
    }
  }
}

package io.provisioninghub.console.setup;

import io.provisioninghub.console.session.Sessions;
import io.provisioninghub.console.upstream.RegistryApi.Redeemed;
import io.provisioninghub.console.upstream.RegistryClient;
import io.provisioninghub.console.upstream.SetupLinkRefusal;
import io.provisioninghub.console.upstream.SetupLinkRefused;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@code /console/setup/{token}}: the link an operator sent. Redeemed once at the registry, it
 * opens a session for its tenant and sends the browser on, so the token leaves the address bar
 * (and, with {@code Referrer-Policy: no-referrer}, is never sent on).
 *
 * <p>It goes on with a page, not a redirect: the link is usually clicked in an email, on another
 * site, and a browser does not send the {@code SameSite=Strict} session cookie on a redirect chain
 * a cross-site navigation started; the page's own navigation is same-site, so it does.
 */
@Path("/console/setup")
@Blocking
public class SetupLinkResource {

  private static final String SETUP_PAGE = "/console/tenant/setup";

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance opened(String displayName, String href);
  }

  private static final Logger LOG = Logger.getLogger(SetupLinkResource.class);
  private static final Pattern TOKEN = Pattern.compile("phub_setup_[A-Za-z0-9_-]{1,200}");

  private final RegistryClient registry;
  private final Sessions sessions;

  public SetupLinkResource(RegistryClient registry, Sessions sessions) {
    this.registry = registry;
    this.sessions = sessions;
  }

  @GET
  @Path("{token}")
  public Response redeem(@PathParam("token") String token) {
    if (!TOKEN.matcher(token).matches()) {
      throw new SetupLinkRefused(SetupLinkRefusal.UNKNOWN);
    }
    Redeemed redeemed = registry.redeem(token);
    LOG.infof(
        "setup link %s redeemed: session opened for tenant %s",
        redeemed.linkId(), redeemed.tenantId());
    String displayName =
        redeemed.displayName() == null ? redeemed.tenantId() : redeemed.displayName();
    return Response.ok(Templates.opened(displayName, SETUP_PAGE))
        .header("Cache-Control", "no-store")
        .header("Set-Cookie", sessions.open(redeemed.tenantId(), displayName, redeemed.linkId()))
        .build();
  }
}

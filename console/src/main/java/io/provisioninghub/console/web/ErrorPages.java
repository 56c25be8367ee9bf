package io.provisioninghub.console.web;

import io.provisioninghub.console.session.NoSession;
import io.provisioninghub.console.upstream.SetupLinkRefusal;
import io.provisioninghub.console.upstream.SetupLinkRefused;
import io.provisioninghub.console.upstream.UpstreamNotFound;
import io.provisioninghub.console.upstream.UpstreamRejected;
import io.provisioninghub.console.upstream.UpstreamUnavailable;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure of a console page as the console's own HTML page with a status, a plain message and
 * what to do: never a stack trace, an upstream's body or an echo of the address asked for.
 */
public class ErrorPages {

  private static final Logger LOG = Logger.getLogger(ErrorPages.class);

  private static final String NEW_LINK =
      "Ask your provider (whoever sent you the link) for a new setup link.";

  /** The error page and the setup link refusal page. */
  @CheckedTemplate
  static class Templates {
    static native TemplateInstance error(ErrorView error);
  }

  /** What an error page says. */
  public record ErrorView(int status, String title, String message, String advice) {}

  @ServerExceptionMapper
  public Response refused(SetupLinkRefused e) {
    SetupLinkRefusal refusal = e.refusal();
    LOG.infof("setup link refused: %s", refusal);
    return switch (refusal) {
      case UNKNOWN ->
          page(
              refusal.status(),
              "This setup link is not valid",
              "No setup link matches this address. It may have been copied only in part.",
              "Check that you opened the whole link. " + NEW_LINK);
      case REDEEMED ->
          page(
              refusal.status(),
              "This setup link has already been used",
              "A setup link works once. It was opened before, so it cannot start another"
                  + " session.",
              NEW_LINK);
      case EXPIRED ->
          page(
              refusal.status(),
              "This setup link has expired",
              "A setup link works only for a limited time, and this one's time is over.",
              NEW_LINK);
      case REVOKED ->
          page(
              refusal.status(),
              "This setup link was withdrawn",
              "Your provider revoked this setup link, so it no longer works.",
              NEW_LINK);
      case TENANT_NOT_ACTIVE ->
          page(
              refusal.status(),
              "This account is not active",
              "Your organisation's provisioning account is suspended or being closed, so its"
                  + " setup link does not work now.",
              "Ask your provider about the account; they can send a new setup link once it"
                  + " is active again.");
      case GONE ->
          page(
              refusal.status(),
              "This setup link no longer works",
              "The setup link was used, has expired or was withdrawn.",
              NEW_LINK);
    };
  }

  @ServerExceptionMapper
  public Response noSession(NoSession e) {
    return page(
        401,
        "You are not signed in",
        "This page needs the session that a setup link or a sign-in with your organisation's"
            + " account opens. You have logged out, your session has ended, or this browser never"
            + " signed in.",
        "Open an unused setup link, or sign in with your organisation's account at"
            + " /console/sign-in if your provider set that up. "
            + NEW_LINK);
  }

  @ServerExceptionMapper
  public Response badInput(BadInput e) {
    return page(400, "This request cannot be answered", e.getMessage(), "Go back and try again.");
  }

  @ServerExceptionMapper
  public Response rejected(UpstreamRejected e) {
    LOG.infof("a log query was refused upstream: %s", e.getMessage());
    return page(
        400,
        "This page of the log cannot be shown",
        "The address asks for a page of the log that cannot be shown, for example a position"
            + " from an old link.",
        "Open the provisioning log again from its first page.");
  }

  @ServerExceptionMapper
  public Response notFound(UpstreamNotFound e) {
    return page(
        404,
        "Not found",
        "What this page refers to does not exist (any more) in your account.",
        "Go back to the setup page and reload it.");
  }

  @ServerExceptionMapper
  public Response unavailable(UpstreamUnavailable e) {
    LOG.warnf("upstream unavailable: %s", e.getMessage());
    return page(
        503,
        "The service is not available right now",
        "The console cannot reach the provisioning service behind it at the moment. Nothing was"
            + " changed by this request.",
        "Try again in a few minutes. If it persists, tell your provider.");
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 404) {
      return page(
          404,
          "Page not found",
          "There is no page at this address.",
          "Use the links at the top of the page.");
    }
    if (status >= 500) {
      LOG.error("console request failed", e);
      return page(
          500, "Something went wrong", "The console could not answer this request.", "Try again.");
    }
    return page(
        status,
        "This request cannot be answered",
        "The console does not answer this kind of request here.",
        "Use the links and buttons of the pages.");
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("console request failed", e);
    return page(
        500,
        "Something went wrong",
        "The console could not answer this request. Nothing about it is shown here on purpose.",
        "Try again. If it persists, tell your provider.");
  }

  /** The console's error page with this status. */
  public static Response page(int status, String title, String message, String advice) {
    return Response.status(status)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
        .entity(Templates.error(new ErrorView(status, title, message, advice)))
        .build();
  }
}

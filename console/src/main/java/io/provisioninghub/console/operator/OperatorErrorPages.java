package io.provisioninghub.console.operator;

import io.provisioninghub.console.operator.DeadLetterDesk.DeadLettersUnavailable;
import io.provisioninghub.console.web.ErrorPages;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The operator pages' own failures as the console's error page. */
public class OperatorErrorPages {

  private static final Logger LOG = Logger.getLogger(OperatorErrorPages.class);

  @ServerExceptionMapper
  public Response notOperator(NotOperator e) {
    return ErrorPages.page(
        403,
        "You are signed in, but not as an operator",
        "The operator console needs the operator role, and your account at the identity provider"
            + " does not have it.",
        "Ask whoever manages the identity provider to give your account the role, then log in"
            + " again. If you are a customer's admin, open your setup link instead.");
  }

  @ServerExceptionMapper
  public Response off(OperatorConsoleOff e) {
    return ErrorPages.page(
        404,
        "The operator console is not configured",
        "This console has no identity provider for operators, so its operator pages are off.",
        "Configure quarkus.oidc (see the console's README) to turn them on.");
  }

  @ServerExceptionMapper
  public Response refused(ActionRefused e) {
    return ErrorPages.page(
        409,
        "This cannot be done",
        e.getMessage(),
        "Go back, reload the page and check its state.");
  }

  @ServerExceptionMapper
  public Response deadLettersUnavailable(DeadLettersUnavailable e) {
    LOG.warnf("dead letters unavailable: %s", e.getMessage());
    return ErrorPages.page(
        503,
        "The dead letters cannot be read right now",
        "The console cannot reach the Kafka broker (or has no broker configured). Nothing was"
            + " changed by this request.",
        "Try again in a minute. If it persists, check the console's kafka.* settings.");
  }
}

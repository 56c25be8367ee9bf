package io.provisioninghub.gateway.error;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.audit.RejectionPublisher;
import io.provisioninghub.gateway.auth.CurrentTenant;
import io.provisioninghub.gateway.auth.TenantRefusal;
import io.provisioninghub.gateway.http.ClientRequestIds;
import io.provisioninghub.gateway.http.ScimJson;
import io.provisioninghub.gateway.http.ScimMediaType;
import io.provisioninghub.gateway.metrics.RefusalMetrics;
import io.provisioninghub.scim.error.ScimErrors;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.error.TooManyRequestsException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every failure leaves the gateway as an RFC 7644 section 3.12 error body of type
 * application/scim+json. Each failure kind is mapped here, once.
 */
public class ScimExceptionMappers {

  private static final Logger LOG = Logger.getLogger(ScimExceptionMappers.class);

  private final CurrentTenant tenant;
  private final RejectionPublisher rejections;
  private final RefusalMetrics refusals;
  private final long retryAfterSeconds;

  public ScimExceptionMappers(
      CurrentTenant tenant,
      RejectionPublisher rejections,
      RefusalMetrics refusals,
      GatewayConfig config) {
    this.tenant = tenant;
    this.rejections = rejections;
    this.refusals = refusals;
    this.retryAfterSeconds = config.retryAfterSeconds();
  }

  @ServerExceptionMapper
  public Response scim(ScimException e, ContainerRequestContext request) {
    refusals.refused(e, request);
    audit(e, request);
    Response.ResponseBuilder response = error(e.status(), e.scimType(), e.detail());
    Long retryAfter = retryAfterSeconds(e, retryAfterSeconds);
    if (retryAfter != null) {
      response.header("Retry-After", Long.toString(retryAfter));
    } else if (e.status() == 401) {
      response.header("WWW-Authenticate", "Bearer realm=\"scim\"");
    }
    return response.build();
  }

  /**
   * The {@code Retry-After} of a refusal: what a rate limit or an unavailable service says itself,
   * else {@code fallback} for any other 429 or 503 (a processor's outcome, say), so a client told
   * to come back is always told when; null for every other status.
   */
  static Long retryAfterSeconds(ScimException e, long fallback) {
    if (e instanceof ServiceUnavailableException unavailable) {
      return unavailable.retryAfterSeconds();
    }
    if (e instanceof TooManyRequestsException limited) {
      return limited.retryAfterSeconds();
    }
    return e.status() == 429 || e.status() == 503 ? fallback : null;
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return error(404, null, "no such endpoint").build();
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    return error(405, null, "method not allowed on this endpoint").build();
  }

  @ServerExceptionMapper
  public Response unsupportedMediaType(NotSupportedException e) {
    return error(415, null, "send application/scim+json or application/json").build();
  }

  @ServerExceptionMapper
  public Response notAcceptable(NotAcceptableException e) {
    return error(406, null, "this endpoint produces application/scim+json").build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 500) {
      LOG.error("request failed", e);
      return error(500, null, "internal error").build();
    }
    Response.ResponseBuilder response =
        error(status, status == 400 ? ScimType.invalidSyntax : null, e.getMessage());
    if (status == 429) {
      response.header("Retry-After", Long.toString(retryAfterSeconds));
    }
    return response.build();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("unexpected failure", e);
    return error(500, null, "internal error").build();
  }

  /**
   * A request refused here, before any command existed, is published for the audit log when its
   * tenant is known. Refusals decided by the processor are audited through their command.
   */
  private void audit(ScimException e, ContainerRequestContext request) {
    if (e instanceof OutcomeException || e.status() >= 500) {
      return;
    }
    java.util.Optional<String> tenantId =
        e instanceof TenantRefusal refusal
            ? java.util.Optional.of(refusal.tenantId())
            : tenant.find().map(t -> t.id());
    tenantId.ifPresent(
        id ->
            rejections.publish(
                id,
                e,
                request.getMethod(),
                request.getUriInfo().getPath(),
                ClientRequestIds.from(request.getHeaders())));
  }

  private static Response.ResponseBuilder error(int status, ScimType scimType, String detail) {
    return Response.status(status)
        .type(ScimMediaType.SCIM_JSON)
        .entity(ScimJson.bytes(ScimErrors.body(status, scimType, detail)));
  }
}

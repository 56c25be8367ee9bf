package io.provisioninghub.audit.error;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure of the support API to a JSON {@link ApiError}, each kind once. */
public class ErrorMappers {

  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response badRequest(BadRequest e) {
    return json(400, "bad_request", e.getMessage(), e.parameter());
  }

  @ServerExceptionMapper
  public Response notFound(NotFound e) {
    return json(404, "not_found", e.getMessage(), null);
  }

  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  public Response unauthorized(RuntimeException e) {
    return Response.fromResponse(
            json(
                401,
                "unauthorized",
                "a bearer token signed by the support identity provider is required",
                null))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return json(403, "forbidden", "the token does not carry the role this endpoint needs", null);
  }

  @ServerExceptionMapper
  public Response tenantNotAllowed(TenantNotAllowed e) {
    return json(403, "forbidden", e.getMessage(), "tenantId");
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String error = status >= 500 ? "server_error" : "client_error";
    return json(status, error, e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("support API request failed", e);
    return json(500, "server_error", "the request failed; see the service log", null);
  }

  private static Response json(int status, String error, String detail, String parameter) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(status, error, detail, parameter))
        .build();
  }
}

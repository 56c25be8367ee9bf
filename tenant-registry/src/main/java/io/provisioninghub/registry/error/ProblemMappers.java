package io.provisioninghub.registry.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps each failure kind once to a {@link Problem} body. */
public class ProblemMappers {

  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response registry(RegistryException e) {
    return problem(e.type(), e.status(), e.getMessage());
  }

  @ServerExceptionMapper
  public Response unauthenticated(io.quarkus.security.AuthenticationFailedException e) {
    return unauthorized();
  }

  @ServerExceptionMapper
  public Response unauthorized(io.quarkus.security.UnauthorizedException e) {
    return unauthorized();
  }

  @ServerExceptionMapper
  public Response forbidden(io.quarkus.security.ForbiddenException e) {
    return problem(403, "this API needs the role provisioning-admin");
  }

  @ServerExceptionMapper
  public Response unreadableJson(JsonProcessingException e) {
    return problem(400, "the request body is not valid JSON for this endpoint");
  }

  /** A value of the wrong type; Quarkus' own mapper for it would answer 400 without a body. */
  @ServerExceptionMapper
  public Response mismatchedJson(MismatchedInputException e) {
    return unreadableJson(e);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status >= 500) {
      LOG.error("request failed", e);
      return problem(500, "internal error");
    }
    return problem(status, e.getMessage());
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("unexpected failure", e);
    return problem(500, "internal error");
  }

  private static Response unauthorized() {
    return Response.fromResponse(problem(401, "a valid admin bearer token is required"))
        .header("WWW-Authenticate", "Bearer")
        .build();
  }

  private static Response problem(int status, String detail) {
    return problem(null, status, detail);
  }

  private static Response problem(String type, int status, String detail) {
    Response.Status known = Response.Status.fromStatusCode(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new Problem(type, status, title, detail))
        .build();
  }
}

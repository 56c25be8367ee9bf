package io.provisioninghub.samljit;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A refusal of the SAML JIT admin API: its status and a plain detail, as JSON. */
public class ApiError extends RuntimeException {

  private final int status;

  public ApiError(int status, String detail) {
    super(detail);
    this.status = status;
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, detail);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(404, detail);
  }

  /** Maps refusals to {@code {"status": ..., "detail": ...}}. */
  public static class Mapper {
    @ServerExceptionMapper
    public Response map(ApiError e) {
      return Response.status(e.status)
          .type(MediaType.APPLICATION_JSON)
          .entity(Map.of("status", e.status, "detail", e.getMessage()))
          .build();
    }
  }
}

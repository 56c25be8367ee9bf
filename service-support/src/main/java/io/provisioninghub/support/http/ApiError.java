package io.provisioninghub.support.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * A refusal of an admin API: its status and a plain detail, answered as {@code {"status": ...,
 * "detail": ...}} (a JAX-RS exception that carries its own response, so no mapper is needed).
 */
public class ApiError extends WebApplicationException {

  public ApiError(int status, String detail) {
    super(
        detail,
        Response.status(status)
            .type(MediaType.APPLICATION_JSON)
            .entity(Map.of("status", status, "detail", detail))
            .build());
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, detail);
  }

  public static ApiError notFound(String detail) {
    return new ApiError(404, detail);
  }

  public int status() {
    return getResponse().getStatus();
  }
}

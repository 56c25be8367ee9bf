package io.provisioninghub.samljit.sp;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * {@code /saml/{tenant}/…}: a tenant's SAML service provider, reached by browsers. Metadata, an
 * SP-initiated login, and the assertion consumer (HTTP-POST binding).
 */
@Path("/saml/{tenant}")
@Blocking
public class SamlResource {

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final SignInService signIn;

  public SamlResource(SignInService signIn) {
    this.signIn = signIn;
  }

  @GET
  @Path("/metadata")
  @Produces("application/samlmetadata+xml")
  public Response metadata(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    return Response.ok(signIn.metadata(tenant)).build();
  }

  @GET
  @Path("/login")
  public Response login(
      @PathParam("tenant") String tenant, @QueryParam("RelayState") String relayState) {
    checkTenant(tenant);
    return Response.seeOther(URI.create(signIn.login(tenant, relayState))).build();
  }

  @POST
  @Path("/acs")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response acs(
      @PathParam("tenant") String tenant,
      @FormParam("SAMLResponse") String samlResponse,
      @FormParam("RelayState") String relayState) {
    checkTenant(tenant);
    SignInService.Success success = signIn.acs(tenant, samlResponse, relayState);
    if (success.redirectTo() != null) {
      return Response.seeOther(URI.create(success.redirectTo())).build();
    }
    return Response.ok("Signed in. You can close this page.\n", MediaType.TEXT_PLAIN).build();
  }

  private static void checkTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new Refusal(400, "bad_tenant", "not a tenant id");
    }
  }

  /** Refusals: JSON for API clients, a short plain page for browsers; never the assertion. */
  public static class Mapper {
    @ServerExceptionMapper
    public Response map(Refusal r, HttpHeaders headers) {
      boolean json =
          headers.getAcceptableMediaTypes().stream()
              .anyMatch(
                  m -> m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType());
      Response.ResponseBuilder answer = Response.status(r.status);
      if (r.retryAfterSeconds > 0) {
        answer.header("Retry-After", r.retryAfterSeconds);
      }
      if (json) {
        return answer
            .type(MediaType.APPLICATION_JSON)
            .entity(Map.of("status", r.status, "reason", r.reason, "detail", r.getMessage()))
            .build();
      }
      return answer
          .type(MediaType.TEXT_PLAIN)
          .entity(
              "Sign-in refused ("
                  + r.reason
                  + "). Ask your administrator; the reason code is "
                  + r.reason
                  + ".\n")
          .build();
    }
  }
}

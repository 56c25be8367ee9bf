package io.provisioninghub.console.operator;

import io.provisioninghub.console.operator.DeadLetterDesk.Detail;
import io.provisioninghub.console.operator.DeadLetterDesk.Row;
import io.provisioninghub.console.upstream.UpstreamNotFound;
import io.provisioninghub.console.web.BadInput;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters of {@code scim.commands.dlq.v1}: the list (not handled yet, or all), one
 * record's origin, reason and headers, and re-driving it after a confirmation page. The record is
 * named in the query ({@code ?partition=&offset=}): quarkus-rest-csrf hands out form tokens on
 * exact paths only.
 */
@Path("/console/operator/dead-letters")
@Blocking
public class OperatorDeadLettersResource {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance list(String operator, List<Row> letters, boolean all);

    static native TemplateInstance letter(String operator, Detail letter, boolean redriven);

    static native TemplateInstance redrive(
        String operator, Row letter, String refusal, boolean tooOld);
  }

  private final Operators operators;
  private final DeadLetterDesk desk;
  private final SecurityIdentity identity;

  public OperatorDeadLettersResource(
      Operators operators, DeadLetterDesk desk, SecurityIdentity identity) {
    this.operators = operators;
    this.desk = desk;
    this.identity = identity;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance list(@QueryParam("all") String all) {
    Operator operator = operators.require(identity);
    boolean everything = "true".equals(all);
    return Templates.list(operator.name(), desk.list(everything), everything);
  }

  @GET
  @Path("letter")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance letter(
      @QueryParam("partition") String partition,
      @QueryParam("offset") String offset,
      @QueryParam("redriven") String redriven) {
    Operator operator = operators.require(identity);
    Detail detail = detail(partition(partition), offset(offset));
    return Templates.letter(operator.name(), detail, "yes".equals(redriven));
  }

  /** The confirmation page: what will be re-driven, or why it cannot be. */
  @GET
  @Path("redrive")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance confirm(
      @QueryParam("partition") String partition, @QueryParam("offset") String offset) {
    Operator operator = operators.require(identity);
    int p = partition(partition);
    long o = offset(offset);
    Detail detail = detail(p, o);
    Optional<String> refusal = desk.refusal(p, o, false);
    boolean tooOld = refusal.isPresent() && desk.refusal(p, o, true).isEmpty();
    return Templates.redrive(operator.name(), detail.row(), refusal.orElse(null), tooOld);
  }

  @POST
  @Path("redrive")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public Response redrive(
      @FormParam("partition") String partition,
      @FormParam("offset") String offset,
      @FormParam("force") String force) {
    Operator operator = operators.require(identity);
    int p = partition(partition);
    long o = offset(offset);
    desk.redrive(p, o, operator, "yes".equals(force));
    return Response.status(Response.Status.SEE_OTHER)
        .header(
            "Location",
            "/console/operator/dead-letters/letter?partition="
                + p
                + "&offset="
                + o
                + "&redriven=yes")
        .build();
  }

  private Detail detail(int partition, long offset) {
    return desk.detail(partition, offset)
        .orElseThrow(
            () ->
                new UpstreamNotFound(
                    "there is no dead letter at " + DeadLetterDesk.at(partition, offset)));
  }

  private static int partition(String value) {
    try {
      int p = Integer.parseInt(value == null ? "" : value);
      if (p >= 0 && p < 100_000) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadInput("The partition must be a whole number from 0.");
  }

  private static long offset(String value) {
    try {
      long o = Long.parseLong(value == null ? "" : value);
      if (o >= 0) {
        return o;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new BadInput("The offset must be a whole number from 0.");
  }
}

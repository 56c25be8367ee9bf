package io.provisioninghub.gateway.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.audit.RejectionPublisher;
import io.provisioninghub.gateway.auth.RateLimiter;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.gateway.error.OutcomeException;
import io.provisioninghub.gateway.metrics.RefusalMetrics;
import io.provisioninghub.gateway.resources.ScimWrites;
import io.provisioninghub.gateway.validation.RequestBodies;
import io.provisioninghub.scim.error.BadRequestException;
import io.provisioninghub.scim.error.PayloadTooLargeException;
import io.provisioninghub.scim.error.ScimErrors;
import io.provisioninghub.scim.error.ScimException;
import io.provisioninghub.scim.error.ScimType;
import io.provisioninghub.scim.error.TooManyRequestsException;
import io.provisioninghub.scim.schema.ResourceKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * {@code POST /Bulk} (RFC 7644 section 3.7; ADR 0011). Each operation is a single request in all
 * but transport: it takes a token of the tenant's rate limit, is validated and sent by {@link
 * ScimWrites} as its own command (own command id, key and idempotent apply), and a refusal before
 * any command is published for the audit log as a single request's would be. Operations run
 * concurrently, bounded, in an order the {@link BulkPlan} allows.
 */
@ApplicationScoped
public class BulkService {

  private static final Logger LOG = Logger.getLogger(BulkService.class);

  public static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  public static final String BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

  private final ScimWrites writes;
  private final RequestBodies bodies;
  private final RateLimiter rateLimiter;
  private final RejectionPublisher rejections;
  private final RefusalMetrics refusals;
  private final GatewayConfig config;

  public BulkService(
      ScimWrites writes,
      RequestBodies bodies,
      RateLimiter rateLimiter,
      RejectionPublisher rejections,
      RefusalMetrics refusals,
      GatewayConfig config) {
    this.refusals = refusals;
    this.writes = writes;
    this.bodies = bodies;
    this.rateLimiter = rateLimiter;
    this.rejections = rejections;
    this.config = config;
  }

  /**
   * Runs a bulk request. The request as a whole is refused (a ScimException, mapped and audited as
   * any) only when it is not a bulk request or is over {@code bulk.maxOperations}; every other
   * failure belongs to its operation and the answer is 200.
   */
  public Uni<Response> run(Tenant tenant, byte[] body, ScimWrites.Request request) {
    ObjectNode bulk = bodies.bulk(body);
    JsonNode schemas = bulk.get("schemas");
    boolean declared = false;
    if (schemas != null && schemas.isArray()) {
      for (JsonNode s : schemas) {
        declared |= BULK_REQUEST.equals(s.asText());
      }
    }
    if (!declared) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "a bulk request must list the schema " + BULK_REQUEST);
    }
    JsonNode failOn = bulk.get("failOnErrors");
    int failOnErrors = 0;
    if (failOn != null && !failOn.isNull()) {
      if (!failOn.isIntegralNumber() || !failOn.canConvertToInt() || failOn.intValue() < 1) {
        throw new BadRequestException(
            ScimType.invalidValue, "failOnErrors must be an integer of at least 1");
      }
      failOnErrors = failOn.intValue();
    }
    JsonNode operations = bulk.get("Operations");
    if (operations == null || !operations.isArray()) {
      throw new BadRequestException(
          ScimType.invalidSyntax, "a bulk request needs an Operations array");
    }
    int max = config.bulk().maxOperations();
    if (operations.size() > max) {
      throw new PayloadTooLargeException(
          "the bulk request has "
              + operations.size()
              + " operations; the limit is "
              + max
              + " (bulk.maxOperations in ServiceProviderConfig)");
    }
    List<BulkOperation> read = new ArrayList<>();
    Iterator<JsonNode> it = operations.elements();
    for (int i = 0; it.hasNext(); i++) {
      read.add(BulkOperation.read(i, it.next()));
    }
    BulkPlan plan = BulkPlan.of(read);
    // The request itself took one token in the authentication filter: it pays for the first
    // operation, every further one takes its own.
    AtomicBoolean firstToken = new AtomicBoolean(true);
    BulkRun run =
        new BulkRun(
            plan,
            config.bulk().concurrency(),
            failOnErrors,
            (op, resolved) -> execute(tenant, op, resolved, request, firstToken),
            (op, failed) ->
                refused(
                    tenant,
                    op,
                    request,
                    new BulkOperationException(
                        409,
                        null,
                        "operation "
                            + op.index()
                            + " was not applied: an operation it references by bulkId failed"
                            + " (status "
                            + failed.status()
                            + ")")));
    BulkRun.Result notAttempted =
        new BulkRun.Result(
            503,
            null,
            null,
            null,
            ScimErrors.body(
                503,
                null,
                "not attempted, nothing was changed: the service could not take more operations"
                    + " of this request; retry them"));
    return run.run(notAttempted).map(results -> response(plan, results, request));
  }

  private Uni<BulkRun.Result> execute(
      Tenant tenant,
      BulkOperation op,
      Map<String, String> resolved,
      ScimWrites.Request request,
      AtomicBoolean firstToken) {
    String id = resolve(op.id(), resolved);
    ScimWrites.Request opRequest =
        new ScimWrites.Request(request.baseUrl(), op.version(), request.clientRequestId());
    Uni<Response> sent;
    try {
      // As a single request takes its token before its body is read, so does each operation.
      if (!firstToken.getAndSet(false)) {
        rateLimiter.acquire(tenant);
      }
      if (op.invalid() != null) {
        throw op.invalid();
      }
      ObjectNode data = op.data() == null ? null : (ObjectNode) substitute(op.data(), resolved);
      sent =
          switch (op.method()) {
            case "POST" -> writes.create(tenant, op.kind(), data, opRequest);
            case "PUT" -> writes.replace(tenant, op.kind(), id, data, opRequest);
            case "PATCH" -> writes.patch(tenant, op.kind(), id, data, opRequest);
            default -> writes.delete(tenant, op.kind(), id, opRequest);
          };
    } catch (ScimException e) {
      return Uni.createFrom().item(refused(tenant, op, request, e));
    } catch (RuntimeException e) {
      sent = Uni.createFrom().failure(e);
    }
    return sent.map(response -> applied(op, id, response, request))
        .onFailure()
        .recoverWithItem(e -> failed(tenant, op, id, request, e));
  }

  private static BulkRun.Result applied(
      BulkOperation op, String id, Response response, ScimWrites.Request request) {
    String location = response.getHeaderString("Location");
    if (location == null && id != null) {
      location = location(request, op.kind(), id);
    }
    String createdId = null;
    if (op.method().equals("POST") && location != null) {
      createdId = location.substring(location.lastIndexOf('/') + 1);
    }
    return new BulkRun.Result(
        response.getStatus(), createdId, location, response.getHeaderString("ETag"), null);
  }

  private BulkRun.Result failed(
      Tenant tenant, BulkOperation op, String id, ScimWrites.Request request, Throwable e) {
    if (e instanceof ScimException scim) {
      BulkRun.Result refused = refused(tenant, op, request, scim);
      return id == null || id.startsWith(BulkOperation.REFERENCE) || scim.status() == 404
          ? refused
          : new BulkRun.Result(
              refused.status(), null, location(request, op.kind(), id), null, refused.response());
    }
    LOG.error("bulk operation failed unexpectedly", e);
    return new BulkRun.Result(500, null, null, null, ScimErrors.body(500, null, "internal error"));
  }

  /**
   * An operation refused with {@code e}; audited like a single request refused before any command
   * (a refusal the processor decided is audited through its command already).
   */
  private BulkRun.Result refused(
      Tenant tenant, BulkOperation op, ScimWrites.Request request, ScimException e) {
    if (e instanceof TooManyRequestsException) {
      refusals.rateLimited();
    }
    if (!(e instanceof OutcomeException) && e.status() < 500) {
      String path =
          op.kind() == null
              ? "/scim/v2/Bulk"
              : (op.kind() == ResourceKind.USER ? "/scim/v2/Users" : "/scim/v2/Groups")
                  + (op.id() == null ? "" : "/" + op.id());
      rejections.publish(
          tenant.id(),
          e,
          op.method() == null ? "POST" : op.method(),
          path,
          request.clientRequestId());
    }
    return new BulkRun.Result(e.status(), null, null, null, ScimErrors.body(e));
  }

  private static String resolve(String id, Map<String, String> resolved) {
    if (id != null && id.startsWith(BulkOperation.REFERENCE)) {
      String target = resolved.get(id.substring(BulkOperation.REFERENCE.length()));
      return target == null ? id : target;
    }
    return id;
  }

  /** A copy of {@code node} with every {@code "bulkId:x"} string replaced by x's resource id. */
  private static JsonNode substitute(JsonNode node, Map<String, String> resolved) {
    if (node.isTextual()) {
      String text = node.asText();
      if (text.startsWith(BulkOperation.REFERENCE)) {
        String id = resolved.get(text.substring(BulkOperation.REFERENCE.length()));
        return id == null ? node : TextNode.valueOf(id);
      }
      return node;
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.fields().forEachRemaining(f -> copy.set(f.getKey(), substitute(f.getValue(), resolved)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> copy.add(substitute(child, resolved)));
      return copy;
    }
    return node;
  }

  private static String location(ScimWrites.Request request, ResourceKind kind, String id) {
    return request.baseUrl() + (kind == ResourceKind.USER ? "/Users/" : "/Groups/") + id;
  }

  private static Response response(
      BulkPlan plan, List<BulkRun.Result> results, ScimWrites.Request request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("schemas").add(BULK_RESPONSE);
    ArrayNode operations = body.putArray("Operations");
    for (int i = 0; i < results.size(); i++) {
      BulkRun.Result result = results.get(i);
      if (result == null) {
        continue; // not started: failOnErrors was reached first (RFC 7644 section 3.7.3)
      }
      BulkOperation op = plan.nodes().get(i).operation();
      ObjectNode entry = operations.addObject();
      if (op.method() != null) {
        entry.put("method", op.method());
      }
      if (op.bulkId() != null) {
        entry.put("bulkId", op.bulkId());
      }
      if (result.version() != null) {
        entry.put("version", result.version());
      }
      String location = result.location();
      if (location == null && !result.failed() && op.id() != null) {
        location = location(request, op.kind(), op.id());
      }
      if (location != null) {
        entry.put("location", location);
      }
      entry.put("status", Integer.toString(result.status()));
      if (result.response() != null) {
        entry.set("response", result.response());
      }
    }
    return Response.ok(
            io.provisioninghub.gateway.http.ScimJson.bytes(body),
            io.provisioninghub.gateway.http.ScimMediaType.SCIM_JSON)
        .build();
  }
}

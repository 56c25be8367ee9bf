package io.provisioninghub.gateway.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.contracts.Operation;
import io.provisioninghub.contracts.OutcomeStatus;
import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.ProvisioningCommand;
import io.provisioninghub.contracts.ProvisioningOutcome;
import io.provisioninghub.contracts.ResourceType;
import io.provisioninghub.gateway.auth.Tenant;
import io.provisioninghub.gateway.command.CommandSender;
import io.provisioninghub.gateway.error.OutcomeException;
import io.provisioninghub.gateway.http.ScimJson;
import io.provisioninghub.gateway.password.PasswordHasher;
import io.provisioninghub.gateway.validation.RequestBodies;
import io.provisioninghub.scim.error.ConflictException;
import io.provisioninghub.scim.patch.NormalizedResource;
import io.provisioninghub.scim.patch.Passwords;
import io.provisioninghub.scim.patch.PatchApplier;
import io.provisioninghub.scim.patch.PatchParser;
import io.provisioninghub.scim.patch.ResourceNormalizer;
import io.provisioninghub.scim.patch.ScimPatch;
import io.provisioninghub.scim.resource.ResourceMeta;
import io.provisioninghub.scim.schema.ResourceKind;
import io.provisioninghub.scim.schema.ScimSchemas;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * Every SCIM write: validated here against the input contract of docs/input-contract.md (a SCIM
 * error and nothing published on bad input), then sent as a command and answered with the
 * processor's outcome.
 */
@ApplicationScoped
public class ScimWrites {

  private final CommandSender commands;
  private final RequestBodies bodies;
  private final PasswordHasher hasher;
  private final ScimReads reads;

  public ScimWrites(
      CommandSender commands, RequestBodies bodies, PasswordHasher hasher, ScimReads reads) {
    this.commands = commands;
    this.bodies = bodies;
    this.hasher = hasher;
    this.reads = reads;
  }

  public Uni<Response> create(Tenant tenant, ResourceKind kind, byte[] body, Request request) {
    return create(tenant, kind, bodies.object(body), request);
  }

  /** A create whose body is already read (strictly) as an object: one operation of a bulk. */
  public Uni<Response> create(Tenant tenant, ResourceKind kind, ObjectNode body, Request request) {
    NormalizedResource normalized = ResourceNormalizer.forCreate(kind, body, tenant.schemas());
    String id = UUID.randomUUID().toString();
    return unique(tenant, kind, id, normalized)
        .flatMap(
            ok ->
                send(tenant, kind, id, Operation.CREATE, payload(kind, normalized), null, request));
  }

  /**
   * Refuses (409 uniqueness) a value of an attribute the tenant's own schema declares unique when
   * another resource of the tenant holds it already (docs/adr/0012).
   */
  private Uni<Void> unique(
      Tenant tenant, ResourceKind kind, String id, NormalizedResource normalized) {
    return unique(tenant, kind, id, normalized.document());
  }

  private Uni<Void> unique(Tenant tenant, ResourceKind kind, String id, ObjectNode document) {
    Uni<Void> all = Uni.createFrom().voidItem();
    for (var attr : tenant.schemas().uniqueAttributes(kind)) {
      JsonNode value = document.path(attr.schemaUrn()).path(attr.attribute().name());
      if (!value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
        continue;
      }
      String path = attr.canonicalPath();
      all =
          all.flatMap(
              ignored ->
                  reads
                      .heldByAnother(tenant, kind, id, path, value.asText())
                      .map(
                          taken -> {
                            if (taken) {
                              throw new ConflictException(
                                  "'"
                                      + path
                                      + "' is unique and another "
                                      + kind.resourceTypeName()
                                      + " already has this value");
                            }
                            return null;
                          }));
    }
    return all;
  }

  public Uni<Response> replace(
      Tenant tenant, ResourceKind kind, String id, byte[] body, Request request) {
    return replace(tenant, kind, id, bodies.object(body), request);
  }

  /** A replace whose body is already read as an object. */
  public Uni<Response> replace(
      Tenant tenant, ResourceKind kind, String id, ObjectNode body, Request request) {
    String canonicalId = requireUuid(kind, id);
    NormalizedResource normalized = ResourceNormalizer.forReplace(kind, body, tenant.schemas());
    return unique(tenant, kind, canonicalId, normalized)
        .flatMap(
            ok ->
                send(
                    tenant,
                    kind,
                    canonicalId,
                    Operation.REPLACE,
                    payload(kind, normalized),
                    Versions.ifMatch(request.ifMatch()),
                    request));
  }

  public Uni<Response> patch(
      Tenant tenant, ResourceKind kind, String id, byte[] body, Request request) {
    return patch(tenant, kind, id, bodies.object(body), request);
  }

  /** A PATCH whose body is already read as an object. */
  public Uni<Response> patch(
      Tenant tenant, ResourceKind kind, String id, ObjectNode patch, Request request) {
    String canonicalId = requireUuid(kind, id);
    // Paths, mutability and value types against the schema, with the processor's own code; the
    // processor applies it to the stored document (and checks the result again).
    ScimPatch parsed = PatchParser.parse(patch);
    ObjectNode sets = PatchApplier.checked(kind, canonicalId, parsed, tenant.schemas());
    Passwords.Extracted password =
        kind == ResourceKind.USER
            ? Passwords.fromPatch(patch, parsed)
            : new Passwords.Extracted(patch, null, null);
    return unique(tenant, kind, canonicalId, sets)
        .flatMap(
            ok ->
                send(
                    tenant,
                    kind,
                    canonicalId,
                    Operation.PATCH,
                    password,
                    Versions.ifMatch(request.ifMatch()),
                    request));
  }

  public Uni<Response> delete(Tenant tenant, ResourceKind kind, String id, Request request) {
    String canonicalId = requireUuid(kind, id);
    return send(
        tenant,
        kind,
        canonicalId,
        Operation.DELETE,
        new Passwords.Extracted(null, null, null),
        Versions.ifMatch(request.ifMatch()),
        request);
  }

  /**
   * Publishes the command and answers with its outcome. {@code id} is canonical (lower-case UUID):
   * it keys the command, so every command for one resource stays in one partition, and it goes into
   * the {@code Location}, which is built from the base URL and never copies the request path. The
   * password never goes into the command: under the tenant's {@code ignore} policy only the fact
   * that one was set does, under {@code hash} also its Argon2id hash, computed off the event loop.
   */
  private Uni<Response> send(
      Tenant tenant,
      ResourceKind kind,
      String id,
      Operation operation,
      Passwords.Extracted payload,
      Long expectedVersion,
      Request request) {
    ProvisioningCommand command =
        new ProvisioningCommand(
            UUID.randomUUID(),
            tenant.id(),
            kind == ResourceKind.USER ? ResourceType.User : ResourceType.Group,
            id,
            operation,
            payload.body(),
            Instant.now(),
            request.clientRequestId(),
            tenant.source(),
            expectedVersion,
            payload.set(),
            null,
            tenant.createdAt(),
            tenant.commandExtensions());
    URI location =
        URI.create(request.baseUrl() + (kind == ResourceKind.USER ? "/Users/" : "/Groups/") + id);
    Uni<ProvisioningCommand> ready =
        Boolean.TRUE.equals(payload.set()) && tenant.passwordPolicy() == PasswordPolicy.HASH
            ? hasher
                .hash(payload.plaintext())
                .map(hash -> command.withPassword(command.payload(), true, hash))
            : Uni.createFrom().item(command);
    return ready
        .flatMap(commands::send)
        .map(outcome -> respond(outcome, location, request.baseUrl()));
  }

  private static Response respond(ProvisioningOutcome outcome, URI location, String baseUrl) {
    if (outcome.status() != OutcomeStatus.APPLIED) {
      throw new OutcomeException(outcome.httpStatus(), outcome.scimType(), outcome.detail());
    }
    if (outcome.resource() == null || outcome.httpStatus() == 204) {
      Response.ResponseBuilder noContent = Response.noContent();
      if (outcome.version() > 0) {
        noContent.header("ETag", Versions.etag(outcome.version()));
      }
      return noContent.build();
    }
    ObjectNode resource = ((ObjectNode) outcome.resource()).deepCopy();
    // returned "never": also if an outcome stored before passwords were kept out still holds one
    Passwords.strip(resource);
    // The processor sends the manager's current displayName with the outcome; its $ref is ours.
    JsonNode managerName =
        resource.path(ScimSchemas.ENTERPRISE_USER).path("manager").path("displayName");
    ResourceMeta.linkManager(
        resource, baseUrl, managerName.isTextual() ? managerName.asText() : null);
    return ScimJson.resource(outcome.httpStatus(), resource, location);
  }

  private static Passwords.Extracted payload(ResourceKind kind, NormalizedResource normalized) {
    ObjectNode doc = normalized.document().deepCopy();
    if (kind == ResourceKind.GROUP && !normalized.memberIds().isEmpty()) {
      ArrayNode members = doc.putArray("members");
      normalized.memberIds().forEach(m -> members.addObject().put("value", m));
    }
    return kind == ResourceKind.USER
        ? Passwords.fromDocument(doc)
        : new Passwords.Extracted(doc, null, null);
  }

  private static String requireUuid(ResourceKind kind, String id) {
    try {
      return UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      throw new io.provisioninghub.scim.error.ResourceNotFoundException(
          "no " + (kind == ResourceKind.USER ? "user" : "group") + " with id '" + id + "'");
    }
  }

  /** What a write needs from the HTTP request. */
  public record Request(String baseUrl, String ifMatch, String clientRequestId) {}
}

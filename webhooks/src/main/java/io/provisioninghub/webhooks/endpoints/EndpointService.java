package io.provisioninghub.webhooks.endpoints;

import static io.provisioninghub.support.http.ApiError.badRequest;
import static io.provisioninghub.support.http.ApiError.notFound;

import io.provisioninghub.contracts.events.EventSchemas;
import io.provisioninghub.webhooks.Db;
import io.provisioninghub.webhooks.WebhooksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Registering, changing, rotating and removing endpoints. */
@ApplicationScoped
public class EndpointService {

  private static final Logger LOG = Logger.getLogger(EndpointService.class);
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

  /** The body of a create or a change; absent fields of a change keep their value. */
  public record EndpointRequest(
      String url, String tenantId, List<String> eventTypes, Boolean enabled) {}

  private final Db db;
  private final EndpointStore store;
  private final Secrets secrets;
  private final TargetPolicy targets;
  private final WebhooksConfig config;
  private final EndpointCache cache;
  private final io.provisioninghub.webhooks.delivery.Dispatcher dispatcher;

  public EndpointService(
      Db db,
      EndpointStore store,
      Secrets secrets,
      WebhooksConfig config,
      EndpointCache cache,
      io.provisioninghub.webhooks.delivery.Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
    this.db = db;
    this.store = store;
    this.secrets = secrets;
    this.config = config;
    this.cache = cache;
    this.targets = new TargetPolicy(config.allowPrivateTargets());
  }

  public Endpoint create(EndpointRequest request) {
    if (request == null || request.url() == null) {
      throw badRequest(
          "send a JSON body with 'url' (and optionally tenantId, eventTypes, enabled)");
    }
    checkUrl(request.url());
    if (request.tenantId() != null && !TENANT.matcher(request.tenantId()).matches()) {
      throw badRequest("'" + request.tenantId() + "' is not a tenant id");
    }
    List<String> types = eventTypes(request.eventTypes());
    String secret = Secrets.generate();
    Endpoint endpoint =
        new Endpoint(
            UUID.randomUUID(),
            request.tenantId(),
            request.url(),
            types,
            request.enabled() == null || request.enabled(),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Endpoint stored =
        db.inTransaction(
            c -> {
              store.insert(c, endpoint, secrets.encrypt(secret));
              return store.find(c, endpoint.id(), false).orElseThrow();
            });
    cache.changed();
    LOG.infof(
        "webhook endpoint %s registered for %s",
        stored.id(), stored.tenantId() == null ? "every tenant" : "tenant " + stored.tenantId());
    return stored.withSecret(secret);
  }

  public List<Endpoint> list(Optional<String> tenant) {
    return db.inTransaction(c -> store.list(c, tenant));
  }

  public Endpoint get(UUID id) {
    return db.inTransaction(c -> store.find(c, id, false)).orElseThrow(() -> missing(id));
  }

  public Endpoint change(UUID id, EndpointRequest request) {
    if (request == null) {
      throw badRequest("send a JSON body with the fields to change: url, eventTypes, enabled");
    }
    if (request.tenantId() != null) {
      throw badRequest("the tenant of an endpoint cannot change; register a new endpoint");
    }
    if (request.url() != null) {
      checkUrl(request.url());
    }
    Endpoint changed =
        db.inTransaction(
            c -> {
              Endpoint current = store.find(c, id, true).orElseThrow(() -> missing(id));
              Endpoint next =
                  new Endpoint(
                      id,
                      current.tenantId(),
                      request.url() == null ? current.url() : request.url(),
                      request.eventTypes() == null
                          ? current.eventTypes()
                          : eventTypes(request.eventTypes()),
                      request.enabled() == null ? current.enabled() : request.enabled(),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null);
              store.update(c, next);
              return store.find(c, id, false).orElseThrow();
            });
    cache.changed();
    // Enabled again, or pointed elsewhere: what waited for it may be due now.
    dispatcher.wake();
    return changed;
  }

  /** A new secret; the previous one keeps signing beside it for {@code secret-overlap}. */
  public Endpoint rotate(UUID id) {
    String secret = Secrets.generate();
    Instant until = Instant.now().plus(config.secretOverlap());
    Endpoint rotated =
        db.inTransaction(
            c -> {
              store.find(c, id, true).orElseThrow(() -> missing(id));
              store.rotate(c, id, secrets.encrypt(secret), until);
              return store.find(c, id, false).orElseThrow();
            });
    LOG.infof("webhook endpoint %s: secret rotated, the previous one valid until %s", id, until);
    return rotated.withSecret(secret);
  }

  public void delete(UUID id) {
    if (!db.inTransaction(c -> store.delete(c, id))) {
      throw missing(id);
    }
    cache.changed();
  }

  private void checkUrl(String url) {
    targets
        .refusal(url)
        .ifPresent(
            why -> {
              throw badRequest("the endpoint URL is refused: " + why);
            });
  }

  private static List<String> eventTypes(List<String> requested) {
    if (requested == null) {
      return List.of();
    }
    List<String> known = EventSchemas.types();
    for (String type : requested) {
      if (!known.contains(type)) {
        throw badRequest("'" + type + "' is not an event type; known: " + known);
      }
    }
    return requested.stream().distinct().toList();
  }

  private static RuntimeException missing(UUID id) {
    return notFound("no webhook endpoint " + id);
  }
}

package io.provisioninghub.registry.tenants;

import static io.provisioninghub.registry.error.RegistryException.badRequest;
import static io.provisioninghub.registry.error.RegistryException.conflict;
import static io.provisioninghub.registry.error.RegistryException.notFound;

import io.provisioninghub.contracts.PasswordPolicy;
import io.provisioninghub.contracts.TenantPurged;
import io.provisioninghub.contracts.TenantSnapshot.OAuthTrust;
import io.provisioninghub.contracts.TenantSnapshot.RateLimit;
import io.provisioninghub.contracts.TenantSnapshot.TenantStatus;
import io.provisioninghub.registry.Db;
import io.provisioninghub.registry.RegistryConfig;
import io.provisioninghub.registry.changes.AdminChangeLog;
import io.provisioninghub.registry.publish.TenantPublisher;
import io.provisioninghub.registry.tenants.TenantApi.NewTenant;
import io.provisioninghub.registry.tenants.TenantApi.OAuthTrustInput;
import io.provisioninghub.registry.tenants.TenantApi.TenantChanges;
import io.provisioninghub.registry.tenants.TenantApi.TenantView;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** Creating, changing and deleting tenants; every change is published before it commits. */
@ApplicationScoped
public class TenantService {

  private static final Logger LOG = Logger.getLogger(TenantService.class);
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
  private static final Pattern IDP_TENANT_ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final int MAX_RATE = 100_000;

  private final Db db;
  private final TenantStore tenants;
  private final TenantPublisher publisher;
  private final RegistryConfig config;
  private final AdminChangeLog changes;

  public TenantService(
      Db db,
      TenantStore tenants,
      TenantPublisher publisher,
      RegistryConfig config,
      AdminChangeLog changes) {
    this.db = db;
    this.tenants = tenants;
    this.publisher = publisher;
    this.config = config;
    this.changes = changes;
  }

  public TenantView create(NewTenant request) {
    if (request == null) {
      throw badRequest("send a JSON body with at least displayName");
    }
    String id = request.id() == null ? UUID.randomUUID().toString() : request.id();
    if (!ID.matcher(id).matches()) {
      throw badRequest("id must be 2-63 lowercase letters, digits or '-', starting alphanumeric");
    }
    String idpTenantId = idpTenantId(request.idpTenantId());
    Instant now = TenantPublisher.now();
    RateLimit limit =
        request.rateLimit() == null
            ? new RateLimit(
                config.defaultRateLimit().requestsPerSecond(), config.defaultRateLimit().burst())
            : rateLimit(request.rateLimit());
    TenantRow row =
        new TenantRow(
            id,
            displayName(request.displayName()),
            idpTenantId,
            TenantStatus.ACTIVE,
            limit,
            oauthTrust(request.oauthTrust(), idpTenantId),
            1,
            now,
            now,
            request.passwordPolicy() == null ? PasswordPolicy.IGNORE : request.passwordPolicy());
    TenantRow created =
        writing(
            "tenant.create",
            id,
            c -> {
              Optional<TenantRow> existing = tenants.find(c, id, false);
              if (existing.isPresent() && existing.get().status() == TenantStatus.DELETING) {
                throw conflict(
                    "tenant '"
                        + id
                        + "' is still being deleted: its SCIM data is being removed. The id can"
                        + " be used again once the deletion is complete (GET"
                        + " /admin/v1/tenants/"
                        + id
                        + " answers 404 then)");
              }
              if (existing.isPresent()) {
                throw conflict("tenant '" + id + "' already exists");
              }
              tenants.insert(c, row);
              publisher.publish(c, id);
              return tenants.find(c, id, false).orElseThrow();
            });
    LOG.infof("tenant %s created", id);
    return TenantView.of(created);
  }

  public List<TenantView> list() {
    return db.inTransaction(c -> tenants.list(c).stream().map(TenantView::of).toList());
  }

  public TenantView get(String id) {
    return TenantView.of(db.inTransaction(c -> existing(c, id, false)));
  }

  public TenantView change(String id, TenantChanges changes) {
    if (changes == null) {
      throw badRequest("send a JSON body with the fields to change");
    }
    return modify(
        "tenant.change",
        id,
        t ->
            new TenantRow(
                t.id(),
                changes.displayName() == null
                    ? t.displayName()
                    : displayName(changes.displayName()),
                changes.idpTenantId() == null
                    ? t.idpTenantId()
                    : idpTenantId(changes.idpTenantId()),
                t.status(),
                changes.rateLimit() == null ? t.rateLimit() : rateLimit(changes.rateLimit()),
                t.oauthTrust(),
                t.revision(),
                t.createdAt(),
                t.updatedAt(),
                changes.passwordPolicy() == null ? t.passwordPolicy() : changes.passwordPolicy()));
  }

  public TenantView setOAuthTrust(String id, OAuthTrustInput input) {
    if (input == null) {
      throw badRequest(
          "send a JSON body with issuer (or an idpTenantId on the tenant) and audiences");
    }
    return modify(
        "tenant.oauth-trust.set", id, t -> withTrust(t, oauthTrust(input, t.idpTenantId())));
  }

  public TenantView removeOAuthTrust(String id) {
    return modify("tenant.oauth-trust.remove", id, t -> withTrust(t, null));
  }

  public TenantView suspend(String id) {
    return modify("tenant.suspend", id, t -> withStatus(t, TenantStatus.SUSPENDED));
  }

  public TenantView resume(String id) {
    return modify("tenant.resume", id, t -> withStatus(t, TenantStatus.ACTIVE));
  }

  /**
   * Starts deleting a tenant: it becomes DELETING (refused by every gateway, its changes refused
   * here), and the processor purges its SCIM data. The deletion completes when the processor
   * reports the purge ({@link #completeDeletion}). Asking again for a tenant already being deleted
   * publishes its snapshot again, which restarts a purge that was lost.
   */
  public TenantView delete(String id) {
    TenantRow deleting =
        writing(
            "tenant.delete",
            id,
            c -> {
              TenantRow current = existing(c, id, true);
              if (current.status() != TenantStatus.DELETING) {
                tenants.update(
                    c, withStatus(current, TenantStatus.DELETING), TenantPublisher.now());
              }
              publisher.publish(c, id);
              return existing(c, id, false);
            });
    LOG.infof("tenant %s is being deleted; waiting for the processor to purge its data", id);
    return TenantView.of(deleting);
  }

  /**
   * The processor purged the SCIM data of a deleted tenant: the tenant and its credentials are
   * deleted, and its tombstone is published before the commit. A report for another life of the id
   * (a tenant created since with the same id) or for a tenant not being deleted is ignored.
   *
   * @return whether the report completed a deletion
   */
  public boolean completeDeletion(TenantPurged purged) {
    boolean completed =
        db.inTransaction(
            c -> {
              Optional<TenantRow> tenant = tenants.find(c, purged.tenantId(), true);
              if (tenant.isEmpty()
                  || tenant.get().status() != TenantStatus.DELETING
                  || !tenant.get().createdAt().equals(purged.tenantCreatedAt())) {
                return false;
              }
              changes.recordBySystem(
                  c, "tenant.delete.completed", purged.tenantId(), purged.rowsDeleted() + " rows");
              publisher.publishDeletion(purged.tenantId());
              tenants.delete(c, purged.tenantId());
              return true;
            });
    if (completed) {
      LOG.infof(
          "tenant %s deleted: the processor removed %d SCIM rows; the id is free again",
          purged.tenantId(), purged.rowsDeleted());
    }
    return completed;
  }

  /** Refuses any change of a tenant that is being deleted (409). */
  public static void requireNotDeleting(TenantRow tenant) {
    if (tenant.status() == TenantStatus.DELETING) {
      throw conflict("tenant '" + tenant.id() + "' is being deleted and cannot be changed");
    }
  }

  private TenantView modify(String action, String id, UnaryOperator<TenantRow> change) {
    TenantRow changed =
        writing(
            action,
            id,
            c -> {
              TenantRow current = existing(c, id, true);
              requireNotDeleting(current);
              tenants.update(c, change.apply(current), TenantPublisher.now());
              publisher.publish(c, id);
              return existing(c, id, false);
            });
    return TenantView.of(changed);
  }

  /** A change and its record in {@code admin_changes}, in one transaction. */
  private <T> T writing(String action, String tenantId, Db.Work<T> work) {
    try {
      return db.inTransaction(
          c -> {
            // Recorded first: the work publishes, and nothing may be published unrecorded.
            changes.record(c, action, tenantId, null);
            return work.run(c);
          });
    } catch (Db.DataAccessException e) {
      if (e.isUniqueViolation()) {
        throw conflict("another tenant already has this idpTenantId or OAuth issuer");
      }
      throw e;
    }
  }

  private TenantRow existing(Connection c, String id, boolean lock) throws SQLException {
    return tenants.find(c, id, lock).orElseThrow(() -> notFound("no tenant '" + id + "'"));
  }

  private static TenantRow withStatus(TenantRow t, TenantStatus status) {
    return new TenantRow(
        t.id(),
        t.displayName(),
        t.idpTenantId(),
        status,
        t.rateLimit(),
        t.oauthTrust(),
        t.revision(),
        t.createdAt(),
        t.updatedAt(),
        t.passwordPolicy());
  }

  private static TenantRow withTrust(TenantRow t, OAuthTrust trust) {
    return new TenantRow(
        t.id(),
        t.displayName(),
        t.idpTenantId(),
        t.status(),
        t.rateLimit(),
        trust,
        t.revision(),
        t.createdAt(),
        t.updatedAt(),
        t.passwordPolicy());
  }

  private static String displayName(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw badRequest("displayName must be 1-200 characters");
    }
    return name.strip();
  }

  private static String idpTenantId(String value) {
    if (value == null) {
      return null;
    }
    if (!IDP_TENANT_ID.matcher(value).matches()) {
      throw badRequest("idpTenantId must be the IdP's tenant id, e.g. Entra's tid (a GUID)");
    }
    return value;
  }

  private static RateLimit rateLimit(RateLimit limit) {
    if (limit.requestsPerSecond() < 1
        || limit.requestsPerSecond() > MAX_RATE
        || limit.burst() < 1
        || limit.burst() > MAX_RATE) {
      throw badRequest("rateLimit.requestsPerSecond and rateLimit.burst must be 1-" + MAX_RATE);
    }
    return limit;
  }

  static OAuthTrust oauthTrust(OAuthTrustInput input, String idpTenantId) {
    if (input == null) {
      return null;
    }
    String issuer = input.issuer();
    if (issuer == null) {
      if (idpTenantId == null) {
        throw badRequest("oauthTrust.issuer is required when the tenant has no idpTenantId");
      }
      issuer = "https://sts.windows.net/" + idpTenantId + "/";
    }
    url(issuer, "oauthTrust.issuer");
    if (input.audiences() == null
        || input.audiences().isEmpty()
        || input.audiences().stream().anyMatch(a -> a == null || a.isBlank())) {
      throw badRequest("oauthTrust.audiences must list at least one audience");
    }
    if (input.jwksUri() == null) {
      throw badRequest("oauthTrust.jwksUri is required: where the issuer publishes its keys");
    }
    url(input.jwksUri(), "oauthTrust.jwksUri");
    return new OAuthTrust(issuer, input.audiences(), input.jwksUri());
  }

  /** https, or http to a loopback address (tests and local development only). */
  private static void url(String value, String field) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw badRequest(field + " is not a URL");
    }
    boolean loopback =
        "http".equals(uri.getScheme())
            && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    if (uri.getHost() == null || !("https".equals(uri.getScheme()) || loopback)) {
      throw badRequest(field + " must be an https URL");
    }
  }
}

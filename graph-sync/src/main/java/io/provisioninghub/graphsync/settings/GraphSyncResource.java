package io.provisioninghub.graphsync.settings;

import io.provisioninghub.graphsync.GraphSyncConfig;
import io.provisioninghub.graphsync.graph.ClientCertificate;
import io.provisioninghub.graphsync.sync.SyncRunner;
import io.provisioninghub.support.http.ApiError;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /admin/v1/tenants/{tenant}/graph-sync}: a tenant's Microsoft Graph sync, set by an
 * operator (role {@code provisioning-admin}). The client secret is write-only: stored encrypted,
 * never answered, never logged.
 */
@Path("/admin/v1/tenants/{tenant}/graph-sync")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed("provisioning-admin")
@Blocking
public class GraphSyncResource {

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern ENTRA_TENANT =
      Pattern.compile("[0-9a-fA-F-]{36}|[A-Za-z0-9][A-Za-z0-9-]{0,62}(\\.[A-Za-z0-9-]{1,63})+");
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DOMAIN =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,62}(\\.[A-Za-z0-9-]{1,63})+");

  private final SettingsStore store;
  private final SecretBox secrets;
  private final SyncRunner runner;
  private final GraphSyncConfig config;

  public GraphSyncResource(
      SettingsStore store, SecretBox secrets, SyncRunner runner, GraphSyncConfig config) {
    this.store = store;
    this.secrets = secrets;
    this.runner = runner;
    this.config = config;
  }

  /**
   * What an operator sends. A credential, {@code clientSecret} or {@code clientCertificate} (not
   * both), is required when the sync is first set and may be left out later (the stored one stays;
   * a new one replaces it, of either kind). {@code interval}: ISO-8601, at least PT1M.
   */
  public record SettingsRequest(
      String entraTenantId,
      String clientId,
      String clientSecret,
      CertificateInput clientCertificate,
      List<String> userDomains,
      List<String> groupIds,
      String interval,
      Boolean enabled) {

    @Override
    public String toString() {
      return "SettingsRequest[" + entraTenantId + ", " + clientId + ", credential hidden]";
    }
  }

  /**
   * A certificate credential: the certificate uploaded to the app registration (X.509, PEM) and its
   * RSA private key (unencrypted PKCS#8 PEM), which is stored encrypted and never answered.
   */
  public record CertificateInput(String certificate, String privateKey) {
    @Override
    public String toString() {
      return "CertificateInput[key hidden]";
    }
  }

  /**
   * What is answered: everything but the credential, of which its kind ({@code secret} or {@code
   * certificate}) and, for a certificate, its thumbprint and end of validity.
   */
  public record SettingsView(
      String tenantId,
      String entraTenantId,
      String clientId,
      boolean clientSecretSet,
      String credential,
      String certificateThumbprint,
      Instant certificateNotAfter,
      List<String> userDomains,
      List<String> groupIds,
      String interval,
      boolean enabled,
      Instant createdAt,
      Instant updatedAt) {

    static SettingsView of(SyncSettings s) {
      java.security.cert.X509Certificate certificate =
          s.clientCertificate() == null
              ? null
              : ClientCertificate.certificate(s.clientCertificate());
      return new SettingsView(
          s.tenantId(),
          s.entraTenantId(),
          s.clientId(),
          certificate == null && s.encryptedSecret() != null,
          certificate == null ? "secret" : "certificate",
          certificate == null ? null : ClientCertificate.thumbprint(certificate),
          certificate == null ? null : certificate.getNotAfter().toInstant(),
          s.userDomains(),
          s.groupIds(),
          s.interval().toString(),
          s.enabled(),
          s.createdAt(),
          s.updatedAt());
    }
  }

  /** The sync's state: its last rounds and whether the next one continues from delta links. */
  public record StatusView(
      String tenantId,
      boolean enabled,
      boolean running,
      boolean runRequested,
      Instant nextRunAt,
      boolean usersDeltaLink,
      boolean groupsDeltaLink,
      RoundView lastRound,
      List<RoundView> recentRounds) {}

  @PUT
  public Response put(@PathParam("tenant") String tenant, SettingsRequest request) {
    checkTenant(tenant);
    if (request == null) {
      throw ApiError.badRequest("a JSON body is required");
    }
    String entraTenantId = required(request.entraTenantId(), "entraTenantId");
    if (!ENTRA_TENANT.matcher(entraTenantId).matches()) {
      throw ApiError.badRequest("entraTenantId must be a GUID or a verified domain name");
    }
    String clientId = required(request.clientId(), "clientId");
    if (!GUID.matcher(clientId).matches()) {
      throw ApiError.badRequest("clientId must be the application (client) id, a GUID");
    }
    String secret = request.clientSecret();
    if (secret != null && (secret.isBlank() || secret.length() > 1024)) {
      throw ApiError.badRequest("clientSecret must be 1 to 1024 characters");
    }
    CertificateInput certificateInput = request.clientCertificate();
    if (secret != null && certificateInput != null) {
      throw ApiError.badRequest("give either clientSecret or clientCertificate, not both");
    }
    String certificatePem = null;
    if (certificateInput != null) {
      String pem = required(certificateInput.certificate(), "clientCertificate.certificate");
      String key = required(certificateInput.privateKey(), "clientCertificate.privateKey");
      if (pem.length() > 16_384 || key.length() > 16_384) {
        throw ApiError.badRequest("clientCertificate's PEMs must be at most 16 KiB each");
      }
      try {
        ClientCertificate.of(pem, key);
      } catch (ClientCertificate.Unusable e) {
        throw ApiError.badRequest("clientCertificate: " + e.getMessage());
      }
      certificatePem = pem.strip();
      secret = key.strip();
    }
    List<String> domains = request.userDomains() == null ? List.of() : request.userDomains();
    for (String d : domains) {
      if (d == null || !DOMAIN.matcher(d).matches()) {
        throw ApiError.badRequest("userDomains must be domain names, e.g. contoso.com");
      }
    }
    List<String> groups = request.groupIds() == null ? List.of() : request.groupIds();
    for (String g : groups) {
      if (g == null || !GUID.matcher(g).matches()) {
        throw ApiError.badRequest("groupIds must be Graph group ids (GUIDs)");
      }
    }
    if (domains.size() > 100 || groups.size() > 500) {
      throw ApiError.badRequest("at most 100 userDomains and 500 groupIds");
    }
    Duration interval;
    try {
      interval =
          request.interval() == null
              ? config.defaultInterval()
              : Duration.parse(request.interval());
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("interval must be an ISO-8601 duration such as PT40M");
    }
    if (interval.compareTo(Duration.ofMinutes(1)) < 0
        || interval.compareTo(Duration.ofDays(7)) > 0) {
      throw ApiError.badRequest("interval must be between PT1M and P7D");
    }
    boolean exists = store.find(tenant).isPresent();
    if (!exists && secret == null) {
      throw ApiError.badRequest(
          "clientSecret or clientCertificate is required when the sync is first set");
    }
    boolean created =
        store.put(
            tenant,
            entraTenantId,
            clientId.toLowerCase(java.util.Locale.ROOT),
            secret == null ? null : secrets.encrypt(tenant, secret),
            certificatePem,
            domains.stream().map(d -> d.toLowerCase(java.util.Locale.ROOT)).distinct().toList(),
            groups.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT)).distinct().toList(),
            interval,
            request.enabled() == null || request.enabled());
    SettingsView view = SettingsView.of(store.find(tenant).orElseThrow());
    return Response.status(created ? 201 : 200).entity(view).build();
  }

  @GET
  public SettingsView get(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    return SettingsView.of(found(tenant));
  }

  @DELETE
  public Response delete(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    if (!store.delete(tenant)) {
      throw ApiError.notFound("no Graph sync is set for tenant " + tenant);
    }
    return Response.noContent().build();
  }

  /** Starts a round now (or as soon as the running one ends). */
  @POST
  @Path("/run")
  @Consumes(MediaType.WILDCARD)
  public Response run(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    SyncSettings settings = found(tenant);
    if (!settings.enabled()) {
      throw new ApiError(409, "the Graph sync of tenant " + tenant + " is disabled");
    }
    store.requestRun(tenant);
    runner.runDue();
    return Response.accepted(status(tenant)).build();
  }

  @GET
  @Path("/status")
  public StatusView status(@PathParam("tenant") String tenant) {
    checkTenant(tenant);
    SyncSettings s = found(tenant);
    List<RoundView> rounds = store.rounds(tenant, 10);
    SettingsStore.RunState state = store.runState(tenant);
    return new StatusView(
        tenant,
        s.enabled(),
        state.running(),
        state.runRequested(),
        s.nextRunAt(),
        s.usersDeltaLink() != null,
        s.groupsDeltaLink() != null,
        rounds.isEmpty() ? null : rounds.get(0),
        rounds);
  }

  private SyncSettings found(String tenant) {
    return store
        .find(tenant)
        .orElseThrow(() -> ApiError.notFound("no Graph sync is set for tenant " + tenant));
  }

  private static void checkTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw ApiError.badRequest("not a tenant id");
    }
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest(name + " is required");
    }
    return value.strip();
  }
}

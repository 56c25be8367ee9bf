package io.provisioninghub.console.signin;

import io.provisioninghub.console.ConsoleConfig;
import io.provisioninghub.console.upstream.RegistryClient;
import io.provisioninghub.console.upstream.RegistryClient.SignInLookup;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the registry says about each tenant's console sign-in, kept for {@code
 * phub.console.sign-in-cache-ttl} so the OIDC tenant resolver (called on every request to a sign-in
 * path) does not ask the registry each time. The client secret stays in memory only.
 */
@Singleton
public class SignInDirectory {

  /** A tenant id as the registry allows it. */
  static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

  /** Bounds the memory an address-typing visitor can make the cache take. */
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(SignInLookup lookup, Instant until) {}

  private final RegistryClient registry;
  private final Duration ttl;
  private final Clock clock = Clock.systemUTC();
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public SignInDirectory(RegistryClient registry, ConsoleConfig config) {
    this.registry = registry;
    this.ttl = config.signInCacheTtl();
  }

  /** True for a string that can be a tenant id (anything else is never looked up). */
  public static boolean isTenantId(String value) {
    return value != null && TENANT_ID.matcher(value).matches();
  }

  /**
   * The tenant's sign-in, from the cache or the registry.
   *
   * @throws io.provisioninghub.console.upstream.UpstreamUnavailable the registry did not answer
   */
  public SignInLookup lookup(String tenantId) {
    Instant now = clock.instant();
    Entry cached = entries.get(tenantId);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.lookup();
    }
    SignInLookup fresh = registry.signIn(tenantId);
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(tenantId, new Entry(fresh, now.plus(ttl)));
    return fresh;
  }
}

package io.provisioninghub.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.provisioninghub.gateway.GatewayConfig;
import io.provisioninghub.gateway.command.ShutdownDrain;
import io.provisioninghub.scim.error.ServiceUnavailableException;
import io.provisioninghub.scim.error.UnauthorizedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Requests that reach the gateway before its tenant view is loaded or once it is stopping. */
class AuthenticationFilterTest {

  final TenantView view = new TenantView();
  final ShutdownDrain drain = new ShutdownDrain(config(7));
  final AuthenticationFilter filter =
      new AuthenticationFilter(
          new TenantAuthenticator(
              view, (tenant, credential, at) -> {}, java.time.Clock.systemUTC()),
          view,
          new TenantRateLimit(new RateLimiter(view)),
          new CurrentTenant(),
          config(7),
          drain);

  @Test
  void beforeTheViewIsLoadedEveryScimRequestIsAskedToRetry() {
    assertThatThrownBy(() -> filter.authenticate(request("Bearer phub_not-yet-known"), null))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(7));
  }

  @Test
  void onceLoadedAnUnknownSecretIsUnauthorized() {
    view.markLoaded();

    assertThatThrownBy(() -> filter.authenticate(request("Bearer phub_unknown"), null))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void fromTheStartOfShutdownEveryScimRequestIsAskedToRetry() {
    view.markLoaded();
    drain.onShutdownStarting(null);

    assertThatThrownBy(() -> filter.authenticate(request("Bearer phub_unknown"), null))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(7));
  }

  private static ContainerRequestContext request(String authorization) {
    UriInfo uri = proxy(UriInfo.class, (m, args) -> m.equals("getPath") ? "/scim/v2/Users" : null);
    return proxy(
        ContainerRequestContext.class,
        (m, args) ->
            switch (m) {
              case "getUriInfo" -> uri;
              case "getHeaderString" -> authorization;
              default -> null;
            });
  }

  private static GatewayConfig config(long retryAfter) {
    return proxy(
        GatewayConfig.class,
        (m, args) ->
            switch (m) {
              case "retryAfterSeconds" -> retryAfter;
              case "shutdownGraceMs" -> 100L;
              default -> null;
            });
  }

  interface Answer {
    Object answer(String method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, Answer answer) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> answer.answer(method.getName(), args));
  }
}

package io.provisioninghub.gateway.auth;

import io.provisioninghub.scim.error.ForbiddenException;
import io.provisioninghub.scim.error.UnauthorizedException;

/**
 * A refused credential whose tenant is nevertheless known (a revoked or expired secret, a suspended
 * tenant), so the refusal can be filed under that tenant in the audit log.
 */
public interface TenantRefusal {

  String tenantId();

  /** 401: the tenant's credential was revoked or has expired. */
  final class Unauthorized extends UnauthorizedException implements TenantRefusal {
    private final String tenantId;

    Unauthorized(String tenantId, String detail) {
      super(detail);
      this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
      return tenantId;
    }
  }

  /** 403: the tenant is suspended. */
  final class Forbidden extends ForbiddenException implements TenantRefusal {
    private final String tenantId;

    Forbidden(String tenantId, String detail) {
      super(detail);
      this.tenantId = tenantId;
    }

    @Override
    public String tenantId() {
      return tenantId;
    }
  }
}

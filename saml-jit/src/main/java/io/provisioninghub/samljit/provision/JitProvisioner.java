package io.provisioninghub.samljit.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.provisioninghub.samljit.settings.IdpSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a validated sign-in into SCIM writes through the gateway (source {@code saml-jit}).
 *
 * <p>Conflict rule (ADR 0023): a user this service created follows the IdP — every mapped attribute
 * that changed is replaced. A user that existed before its first sign-in (created by the tenant's
 * SCIM client) is only filled in: attributes it lacks are added, attributes it has are left to
 * SCIM. JIT never deactivates or deletes, and only adds group memberships.
 */
@ApplicationScoped
public class JitProvisioner {

  private static final Logger LOG = Logger.getLogger(JitProvisioner.class);
  private static final int MAX_GROUPS = 200;

  /** What a sign-in did to its user. */
  public enum Result {
    CREATED,
    UPDATED,
    FILLED_IN,
    UNCHANGED
  }

  /** The gateway refused the user (bad value, uniqueness it could not resolve): a 4xx. */
  public static class Refused extends RuntimeException {
    public final int status;

    public Refused(int status, String detail) {
      super(detail);
      this.status = status;
    }
  }

  /** The outcome: the SCIM id of the user and what was done to it. */
  public record Outcome(String userId, Result result, int groupsJoined) {}

  private final GatewayScim scim;
  private final JitUsers users;

  public JitProvisioner(GatewayScim scim, JitUsers users) {
    this.scim = scim;
    this.users = users;
  }

  public Outcome signIn(
      IdpSettings idp, String userName, Map<String, String> values, List<String> groups) {
    String tenant = idp.tenantId();
    Optional<JitUsers.Known> known = users.find(tenant, userName);
    Outcome outcome = null;
    if (known.isPresent()) {
      GatewayScim.Reply current = scim.get(tenant, "Users", known.get().scimId());
      if (current.status() == 404) {
        users.forget(tenant, userName);
      } else if (current.ok()) {
        outcome = update(tenant, known.get(), current.body(), values);
      } else {
        throw new Refused(current.status(), detail(current));
      }
    }
    if (outcome == null) {
      outcome = firstSignIn(tenant, userName, values);
    }
    int joined = joinGroups(tenant, outcome.userId(), groups);
    return new Outcome(outcome.userId(), outcome.result(), joined);
  }

  private Outcome firstSignIn(String tenant, String userName, Map<String, String> values) {
    Optional<JsonNode> existing = scim.findBy(tenant, "Users", "userName", userName);
    if (existing.isEmpty()) {
      GatewayScim.Reply created =
          scim.create(tenant, "Users", UserAttributes.newUser(userName, values));
      if (created.ok()) {
        String id = created.body().path("id").asText();
        users.remember(tenant, userName, new JitUsers.Known(id, true));
        return new Outcome(id, Result.CREATED, 0);
      }
      if (created.status() != 409) {
        throw new Refused(created.status(), detail(created));
      }
      // Created by SCIM between our lookup and our create: it is SCIM's.
      existing = scim.findBy(tenant, "Users", "userName", userName);
      if (existing.isEmpty()) {
        throw new Refused(409, detail(created));
      }
    }
    JitUsers.Known known = new JitUsers.Known(existing.get().get("id").asText(), false);
    users.remember(tenant, userName, known);
    GatewayScim.Reply current = scim.get(tenant, "Users", known.scimId());
    if (!current.ok()) {
      throw new Refused(current.status(), detail(current));
    }
    return update(tenant, known, current.body(), values);
  }

  private Outcome update(
      String tenant, JitUsers.Known known, JsonNode current, Map<String, String> values) {
    ArrayNode ops = UserAttributes.operations();
    values.forEach(
        (path, value) -> {
          if (path.equals("userName")) {
            return;
          }
          String now = UserAttributes.read(current, path);
          if (known.createdHere() ? !value.equals(now) : now == null) {
            ops.addObject()
                .put("op", known.createdHere() && now != null ? "replace" : "add")
                .put("path", path)
                .put("value", value);
          }
        });
    if (ops.isEmpty()) {
      return new Outcome(known.scimId(), Result.UNCHANGED, 0);
    }
    GatewayScim.Reply patched =
        scim.patch(tenant, "Users", known.scimId(), UserAttributes.patch(ops));
    if (!patched.ok()) {
      throw new Refused(patched.status(), detail(patched));
    }
    return new Outcome(known.scimId(), known.createdHere() ? Result.UPDATED : Result.FILLED_IN, 0);
  }

  /** Adds the user to the tenant's groups whose externalId a group claim names. */
  private int joinGroups(String tenant, String userId, List<String> groupIds) {
    int joined = 0;
    for (String externalId : groupIds.stream().distinct().limit(MAX_GROUPS).toList()) {
      Optional<JsonNode> group = scim.findBy(tenant, "Groups", "externalId", externalId);
      if (group.isEmpty()) {
        continue;
      }
      ArrayNode ops = UserAttributes.operations();
      ObjectNode add = ops.addObject().put("op", "add").put("path", "members");
      add.putArray("value").addObject().put("value", userId);
      GatewayScim.Reply reply =
          scim.patch(tenant, "Groups", group.get().get("id").asText(), UserAttributes.patch(ops));
      if (reply.ok()) {
        joined++;
      } else {
        LOG.warnf("a group membership was refused by the gateway: %d", reply.status());
      }
    }
    return joined;
  }

  /** Status and scimType only: the gateway's detail may quote the user's values (not logged). */
  private static String detail(GatewayScim.Reply reply) {
    String scimType = reply.body().path("scimType").asText("");
    return "status " + reply.status() + (scimType.isEmpty() ? "" : ", scimType " + scimType);
  }
}

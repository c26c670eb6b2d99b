package dev.nudge.common.auth;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, as the request's {@link SecurityIdentity} says: what services need to know of it
 * (the tenant whose data this is, the party a token speaks for, test mode).
 */
@RequestScoped
public class Caller {

  public enum Kind {
    ADMIN,
    TENANT,
    PARTY
  }

  private final SecurityIdentity identity;

  public Caller(SecurityIdentity identity) {
    this.identity = identity;
  }

  public Kind kind() {
    if (identity.hasRole(Roles.ADMIN)) {
      return Kind.ADMIN;
    }
    if (identity.hasRole(Roles.TENANT)) {
      return Kind.TENANT;
    }
    return identity.hasRole(Roles.PARTY) ? Kind.PARTY : null;
  }

  public boolean authenticated() {
    return !identity.isAnonymous();
  }

  /** The tenant whose data this request may reach; never null on a tenant data path. */
  public String tenantId() {
    String tenantId = identity.getAttribute(KeyIdentityProvider.TENANT_ID);
    if (tenantId == null) {
      throw new ApiProblem(ProblemType.UNAUTHORIZED, "A tenant API key is required.");
    }
    return tenantId;
  }

  public String credentialId() {
    return identity.getAttribute(KeyIdentityProvider.CREDENTIAL_ID);
  }

  /** The party a party token speaks for, or null for a tenant key. */
  public String partyId() {
    return identity.getAttribute(KeyIdentityProvider.PARTY_ID);
  }

  /** A party token may act only as its own party. */
  public void requireActingAs(String partyId) {
    String own = partyId();
    if (own != null && !own.equals(partyId)) {
      throw ApiProblem.forbidden("A party token may act only as its own party.");
    }
  }

  public boolean testMode() {
    Boolean test = identity.getAttribute(KeyIdentityProvider.TEST_MODE);
    return test != null && test;
  }

  /**
   * Scope of idempotency keys: one namespace per tenant (and party token), one for the operator.
   */
  public String idempotencyScope() {
    if (kind() == Kind.ADMIN) {
      return "admin";
    }
    String party = partyId();
    return tenantId() + (party == null ? "" : "/" + party);
  }
}

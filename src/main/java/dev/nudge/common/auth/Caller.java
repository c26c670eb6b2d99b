package dev.nudge.common.auth;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling, set once per request by {@link AuthFilter}. */
@RequestScoped
public class Caller {

  public enum Kind {
    ADMIN,
    TENANT,
    PARTY
  }

  private Kind kind;
  private String tenantId;
  private String credentialId;
  private String partyId;
  private boolean testMode;

  void admin() {
    this.kind = Kind.ADMIN;
    this.credentialId = "admin";
  }

  void tenant(String tenantId, String keyId, boolean testMode) {
    this.kind = Kind.TENANT;
    this.tenantId = tenantId;
    this.credentialId = keyId;
    this.testMode = testMode;
  }

  void party(String tenantId, String tokenId, String partyId, boolean testMode) {
    this.kind = Kind.PARTY;
    this.tenantId = tenantId;
    this.credentialId = tokenId;
    this.partyId = partyId;
    this.testMode = testMode;
  }

  public Kind kind() {
    return kind;
  }

  public boolean authenticated() {
    return kind != null;
  }

  /** The tenant whose data this request may reach; never null on a tenant data path. */
  public String tenantId() {
    if (tenantId == null) {
      throw new ApiProblem(ProblemType.UNAUTHORIZED, "A tenant API key is required.");
    }
    return tenantId;
  }

  public String credentialId() {
    return credentialId;
  }

  /** The party a party token speaks for, or null for a tenant key. */
  public String partyId() {
    return partyId;
  }

  /**
   * The tenant, for data only a tenant key reaches (the support team's complaints, its settings): a
   * party token gets 403.
   */
  public String requireTenantKey() {
    String tenant = tenantId();
    if (partyId != null) {
      throw ApiProblem.forbidden("A party token cannot reach this resource; use a tenant API key.");
    }
    return tenant;
  }

  /** A party token may act only as its own party. */
  public void requireActingAs(String partyId) {
    if (this.partyId != null && !this.partyId.equals(partyId)) {
      throw ApiProblem.forbidden("A party token may act only as its own party.");
    }
  }

  public boolean testMode() {
    return testMode;
  }

  /** Scope of idempotency keys: one namespace per tenant, one for the operator. */
  public String idempotencyScope() {
    return kind == Kind.ADMIN ? "admin" : tenantId + (partyId == null ? "" : "/" + partyId);
  }
}

package dev.nudge.common.auth;

/** The kinds of credential, as security roles (SPEC §5). */
public final class Roles {

  /** The operator's key: tenant management only. */
  public static final String ADMIN = "admin";

  /** A tenant API key: all of the tenant's data; it stays on the integrator's server. */
  public static final String TENANT = "tenant";

  /** A party token: that party, its trades and its events; what a browser or phone holds. */
  public static final String PARTY = "party";

  private Roles() {}
}

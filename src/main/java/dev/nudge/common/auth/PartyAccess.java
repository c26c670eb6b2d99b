package dev.nudge.common.auth;

import io.quarkus.security.PermissionChecker;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code @PermissionsAllowed(PartyAccess.OWN_PARTY)} on an endpoint with a party {@code id} in its
 * path: a tenant key reaches every party of its tenant, a party token only its own.
 */
@ApplicationScoped
public class PartyAccess {

  public static final String OWN_PARTY = "own-party";

  @PermissionChecker(OWN_PARTY)
  boolean ownParty(SecurityIdentity identity, String id) {
    if (identity.hasRole(Roles.TENANT)) {
      return true;
    }
    return identity.hasRole(Roles.PARTY)
        && id != null
        && id.equals(identity.getAttribute(KeyIdentityProvider.PARTY_ID));
  }
}

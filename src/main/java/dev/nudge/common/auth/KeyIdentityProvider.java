package dev.nudge.common.auth;

import io.agroal.api.AgroalDataSource;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whose credential it is: the admin key, a tenant API key or a party token. Keys are looked up by
 * their SHA-256 only; a revoked key, and a party token past its expiry on its tenant's clock, are
 * not valid.
 */
@ApplicationScoped
public class KeyIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

  /** Identity attributes. */
  public static final String TENANT_ID = "tenantId";

  public static final String PARTY_ID = "partyId";
  public static final String CREDENTIAL_ID = "credentialId";
  public static final String TEST_MODE = "testMode";

  private static final String TENANT_KEY =
      "select k.id, k.tenant_id, t.mode from api_key k join tenant t on t.id = k.tenant_id"
          + " where k.key_hash = ? and k.revoked_at is null";

  private static final String PARTY_TOKEN =
      "select p.id, p.tenant_id, p.party_id, t.mode from party_token p"
          + " join tenant t on t.id = p.tenant_id where p.token_hash = ? and p.revoked_at is null"
          + " and p.expires_at > coalesce(t.clock_now, now())";

  private final AdminKey adminKey;
  private final AgroalDataSource db;

  public KeyIdentityProvider(AdminKey adminKey, AgroalDataSource db) {
    this.adminKey = adminKey;
    this.db = db;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String key = request.getToken().getToken();
    return context.runBlocking(() -> identify(key));
  }

  private SecurityIdentity identify(String key) {
    if (adminKey.matches(key)) {
      return QuarkusSecurityIdentity.builder()
          .setPrincipal(new QuarkusPrincipal("admin"))
          .addRole(Roles.ADMIN)
          .addAttribute(CREDENTIAL_ID, "admin")
          .build();
    }
    String hash = ApiKeys.hash(key);
    try (Connection c = db.getConnection()) {
      if (key.startsWith(ApiKeys.PARTY_TOKEN_PREFIX)) {
        try (PreparedStatement ps = c.prepareStatement(PARTY_TOKEN)) {
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return QuarkusSecurityIdentity.builder()
                  .setPrincipal(new QuarkusPrincipal(rs.getString(3)))
                  .addRole(Roles.PARTY)
                  .addAttribute(CREDENTIAL_ID, rs.getString(1))
                  .addAttribute(TENANT_ID, rs.getString(2))
                  .addAttribute(PARTY_ID, rs.getString(3))
                  .addAttribute(TEST_MODE, "test".equals(rs.getString(4)))
                  .build();
            }
          }
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement(TENANT_KEY)) {
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return QuarkusSecurityIdentity.builder()
                  .setPrincipal(new QuarkusPrincipal(rs.getString(2)))
                  .addRole(Roles.TENANT)
                  .addAttribute(CREDENTIAL_ID, rs.getString(1))
                  .addAttribute(TENANT_ID, rs.getString(2))
                  .addAttribute(TEST_MODE, "test".equals(rs.getString(3)))
                  .build();
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new CredentialStoreUnavailable(e);
    }
    throw new AuthenticationFailedException(
        "The API key or token is not valid: it is unknown, revoked or expired.");
  }

  /** The keys cannot be checked because the database does not answer (503, not 401). */
  public static final class CredentialStoreUnavailable extends RuntimeException {
    CredentialStoreUnavailable(SQLException cause) {
      super("credential store unavailable", cause);
    }
  }
}

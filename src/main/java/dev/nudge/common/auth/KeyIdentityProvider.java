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
 * not valid. Identities found are kept briefly in {@link CredentialCache}.
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
      "select p.id, p.tenant_id, p.party_id, t.mode, p.expires_at from party_token p"
          + " join tenant t on t.id = p.tenant_id where p.token_hash = ? and p.revoked_at is null"
          + " and p.expires_at > coalesce(t.clock_now, now())";

  private final AdminKey adminKey;
  private final AgroalDataSource db;
  private final CredentialCache cache;

  public KeyIdentityProvider(AdminKey adminKey, AgroalDataSource db, CredentialCache cache) {
    this.adminKey = adminKey;
    this.db = db;
    this.cache = cache;
  }

  @Override
  public Class<TokenAuthenticationRequest> getRequestType() {
    return TokenAuthenticationRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenAuthenticationRequest request, AuthenticationRequestContext context) {
    String key = request.getToken().getToken();
    if (adminKey.matches(key)) {
      return Uni.createFrom()
          .item(
              QuarkusSecurityIdentity.builder()
                  .setPrincipal(new QuarkusPrincipal("admin"))
                  .addRole(Roles.ADMIN)
                  .addAttribute(CREDENTIAL_ID, "admin")
                  .build());
    }
    String hash = ApiKeys.hash(key);
    SecurityIdentity known = cache.get(hash);
    if (known != null) {
      // No database lookup, and no hop to a worker thread for one.
      return Uni.createFrom().item(known);
    }
    return context.runBlocking(() -> identify(key, hash));
  }

  private SecurityIdentity identify(String key, String hash) {
    try (Connection c = db.getConnection()) {
      if (key.startsWith(ApiKeys.PARTY_TOKEN_PREFIX)) {
        try (PreparedStatement ps = c.prepareStatement(PARTY_TOKEN)) {
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              boolean test = "test".equals(rs.getString(4));
              SecurityIdentity identity =
                  QuarkusSecurityIdentity.builder()
                      .setPrincipal(new QuarkusPrincipal(rs.getString(3)))
                      .addRole(Roles.PARTY)
                      .addAttribute(CREDENTIAL_ID, rs.getString(1))
                      .addAttribute(TENANT_ID, rs.getString(2))
                      .addAttribute(PARTY_ID, rs.getString(3))
                      .addAttribute(TEST_MODE, test)
                      .build();
              if (!test) {
                // A test-mode token expires on a test clock that any replica may move: not kept.
                cache.put(
                    hash,
                    identity,
                    rs.getString(1),
                    rs.getObject(5, java.time.OffsetDateTime.class).toInstant());
              }
              return identity;
            }
          }
        }
      } else {
        try (PreparedStatement ps = c.prepareStatement(TENANT_KEY)) {
          ps.setString(1, hash);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              SecurityIdentity identity =
                  QuarkusSecurityIdentity.builder()
                      .setPrincipal(new QuarkusPrincipal(rs.getString(2)))
                      .addRole(Roles.TENANT)
                      .addAttribute(CREDENTIAL_ID, rs.getString(1))
                      .addAttribute(TENANT_ID, rs.getString(2))
                      .addAttribute(TEST_MODE, "test".equals(rs.getString(3)))
                      .build();
              cache.put(hash, identity, rs.getString(1), null);
              return identity;
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

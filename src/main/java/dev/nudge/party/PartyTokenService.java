package dev.nudge.party;

import dev.nudge.common.auth.ApiKeys;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.CredentialCache;
import dev.nudge.common.db.Jdbc;
import dev.nudge.common.ids.Ids;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.Validator;
import dev.nudge.common.time.Durations;
import dev.nudge.common.time.TenantClock;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Party tokens: minted by the integrator's server with its tenant key and handed to the party's
 * browser or phone. A token reads its own party, its trades and events and acts on its trades as
 * that party; it is stored hashed, expires on its tenant's clock and can be revoked at once.
 */
@ApplicationScoped
public class PartyTokenService {

  static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);
  static final Duration LONGEST_LIFETIME = Duration.ofDays(365);

  public record CreateToken(String expiresIn) {}

  /** A token as listed: never the secret. */
  public record TokenView(
      String id,
      String partyId,
      String prefix,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt) {}

  /** The answer to a creation: the only time {@code token} is shown. */
  public record TokenCreated(
      String id,
      String partyId,
      String token,
      String prefix,
      Instant createdAt,
      Instant expiresAt) {}

  private final Jdbc jdbc;
  private final PartyRepository rows;
  private final PartyService parties;
  private final Caller caller;
  private final TenantClock clock;

  private final CredentialCache credentials;

  public PartyTokenService(
      Jdbc jdbc,
      PartyRepository rows,
      PartyService parties,
      Caller caller,
      TenantClock clock,
      CredentialCache credentials) {
    this.jdbc = jdbc;
    this.rows = rows;
    this.parties = parties;
    this.caller = caller;
    this.clock = clock;
    this.credentials = credentials;
  }

  public TokenCreated create(String partyId, CreateToken r) {
    Party party = parties.require(partyId);
    Validator v = new Validator();
    Duration lifetime =
        r == null || r.expiresIn() == null
            ? DEFAULT_LIFETIME
            : Durations.parse(r.expiresIn(), "expiresIn", Duration.ofSeconds(1), v);
    v.check(
        lifetime == null || lifetime.compareTo(LONGEST_LIFETIME) <= 0,
        "expiresIn",
        "must be at most P365D");
    v.throwIfInvalid();
    String token = ApiKeys.newKey("party");
    Instant now = clock.now(party.tenantId);
    PartyToken t = new PartyToken();
    t.id = Ids.generate("ptk");
    t.tenantId = party.tenantId;
    t.partyId = party.id;
    t.tokenHash = ApiKeys.hash(token);
    t.prefix = ApiKeys.prefix(token);
    t.createdAt = now;
    t.expiresAt = now.plus(lifetime);
    jdbc.transaction(
        c -> {
          rows.insertToken(c, t);
          return null;
        });
    return new TokenCreated(t.id, t.partyId, token, t.prefix, t.createdAt, t.expiresAt);
  }

  public List<TokenView> list(String partyId) {
    Party party = parties.require(partyId);
    return jdbc.call(c -> rows.tokens(c, party.tenantId, party.id)).stream()
        .map(PartyTokenService::view)
        .toList();
  }

  /** Revokes at once: the next request with it is a 401. Revoking twice changes nothing. */
  public void revoke(String partyId, String tokenId) {
    Party party = parties.require(partyId);
    Instant now = clock.now(party.tenantId);
    jdbc.transaction(
        c -> {
          PartyToken t =
              rows.lockToken(c, party.id, tokenId)
                  .orElseThrow(() -> ApiProblem.notFound("Party token", tokenId));
          if (t.revokedAt == null) {
            t.revokedAt = now;
            rows.updateToken(c, t);
          }
          return null;
        });
    credentials.forget(tokenId);
  }

  private static TokenView view(PartyToken t) {
    return new TokenView(t.id, t.partyId, t.prefix, t.createdAt, t.expiresAt, t.revokedAt);
  }
}

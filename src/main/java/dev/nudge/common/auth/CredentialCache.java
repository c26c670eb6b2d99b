package dev.nudge.common.auth;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who recently used credentials are, so that most requests need no database lookup to authenticate.
 * An entry lives {@code nudge.auth.cache-ttl} (default 1 s): a credential revoked on this replica
 * is forgotten at once (and again when the revoking transaction ends), and other replicas, which
 * learn of a revocation only from the database, refuse it within that time. A party token's entry
 * never outlives the token's expiry.
 */
@ApplicationScoped
public class CredentialCache {

  private static final int MAX_ENTRIES = 10_000;

  private record Entry(
      SecurityIdentity identity, String credentialId, Instant staleAt, Instant expiresAt) {}

  private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;
  private final TransactionSynchronizationRegistry transactions;

  public CredentialCache(
      @ConfigProperty(name = "nudge.auth.cache-ttl", defaultValue = "1s") Duration ttl,
      Clock clock,
      TransactionSynchronizationRegistry transactions) {
    this.ttl = ttl;
    this.clock = clock;
    this.transactions = transactions;
  }

  /** The identity of the credential with this hash, if known and still fresh; else null. */
  SecurityIdentity get(String hash) {
    Entry e = byHash.get(hash);
    if (e == null) {
      return null;
    }
    Instant now = clock.instant();
    if (!e.staleAt().isAfter(now) || (e.expiresAt() != null && !e.expiresAt().isAfter(now))) {
      byHash.remove(hash, e);
      return null;
    }
    return e.identity();
  }

  /** Remembers a credential just read from the database ({@code expiresAt}: null if never). */
  void put(String hash, SecurityIdentity identity, String credentialId, Instant expiresAt) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    if (byHash.size() >= MAX_ENTRIES) {
      byHash.clear();
    }
    byHash.put(hash, new Entry(identity, credentialId, clock.instant().plus(ttl), expiresAt));
  }

  /**
   * Forgets a revoked credential now and, when called inside a transaction, once more after it
   * ends: a request that read the credential before the revocation committed cannot leave it
   * cached.
   */
  public void forget(String credentialId) {
    byHash.values().removeIf(e -> e.credentialId().equals(credentialId));
    if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
      transactions.registerInterposedSynchronization(
          new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
              byHash.values().removeIf(e -> e.credentialId().equals(credentialId));
            }
          });
    }
  }
}

package dev.nudge.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** How long an identity is kept: the bound on how late another replica sees a revocation. */
class CredentialCacheTest {

  private Instant now = Instant.parse("2026-11-22T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  private final SecurityIdentity identity =
      QuarkusSecurityIdentity.builder()
          .setPrincipal(new QuarkusPrincipal("ten_1"))
          .addRole(Roles.TENANT)
          .build();

  private CredentialCache cache(Duration ttl) {
    return new CredentialCache(ttl, clock, new NoTransactions());
  }

  @Test
  void keepsAnIdentityForTheTtlOnly() {
    CredentialCache cache = cache(Duration.ofSeconds(1));
    cache.put("hash", identity, "key_1", null);
    now = now.plusMillis(999);
    assertThat(cache.get("hash")).isSameAs(identity);
    now = now.plusMillis(1);
    assertThat(cache.get("hash")).as("looked up again after 1 s").isNull();
  }

  @Test
  void neverOutlivesATokensExpiry() {
    CredentialCache cache = cache(Duration.ofSeconds(1));
    cache.put("hash", identity, "ptk_1", now.plusMillis(300));
    now = now.plusMillis(300);
    assertThat(cache.get("hash")).isNull();
  }

  @Test
  void forgetsARevokedCredentialAtOnce() {
    CredentialCache cache = cache(Duration.ofSeconds(1));
    cache.put("hash", identity, "key_1", null);
    cache.put("other", identity, "key_2", null);
    cache.forget("key_1");
    assertThat(cache.get("hash")).isNull();
    assertThat(cache.get("other")).isSameAs(identity);
  }

  @Test
  void aZeroTtlKeepsNothing() {
    CredentialCache cache = cache(Duration.ZERO);
    cache.put("hash", identity, "key_1", null);
    assertThat(cache.get("hash")).isNull();
  }

  /** Outside any transaction. */
  private static final class NoTransactions implements TransactionSynchronizationRegistry {
    @Override
    public Object getTransactionKey() {
      return null;
    }

    @Override
    public void putResource(Object key, Object value) {}

    @Override
    public Object getResource(Object key) {
      return null;
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
      throw new IllegalStateException("no transaction");
    }

    @Override
    public int getTransactionStatus() {
      return Status.STATUS_NO_TRANSACTION;
    }

    @Override
    public void setRollbackOnly() {}

    @Override
    public boolean getRollbackOnly() {
      return false;
    }
  }
}

package dev.nudge.common.idempotency;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.party;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import dev.nudge.support.Api;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers that show a secret once (a tenant's API key, a party token, a webhook signing secret) are
 * kept 24 hours for retries, sealed with what only the client brings back (its credential and the
 * raw Idempotency-Key): the database holds neither the secret nor the raw key, and the retry still
 * gets the secret.
 */
@QuarkusTest
class StoredAnswersHoldNoSecretsTest {

  @Inject AgroalDataSource db;

  private Sql sql;

  @BeforeEach
  void sql() {
    sql = new Sql(db);
  }

  @Test
  void aNewTenantsApiKeyIsNotReadableFromItsStoredAnswer() throws Exception {
    String idem = "sealed-tenant-" + System.nanoTime();
    Map<String, String> body = Map.of("name", "Sealed shop", "mode", "test");
    var first =
        admin().header("Idempotency-Key", idem).body(body).post("/v1/tenants").then().extract();
    assertThat(first.statusCode()).isEqualTo(201);
    String apiKey = first.path("apiKey");

    assertThat(stored(idem)).isZero();
    assertThat(holding(apiKey)).isZero();
    assertThat(sql.count("select count(*) from idempotency_record where body like 'sealed:%'"))
        .isPositive();

    var retry =
        admin().header("Idempotency-Key", idem).body(body).post("/v1/tenants").then().extract();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.<String>path("apiKey")).isEqualTo(apiKey);
    assertThat(retry.body().asString()).isEqualTo(first.body().asString());
  }

  @Test
  void theAnswerIsSealedWithTheCredentialAsAuthenticationReadIt() {
    String key = Api.newTenant("test");
    String partyId = party(key);
    String idem = "sealed-spelling-" + System.nanoTime();
    String path = "/v1/parties/" + partyId + "/tokens";
    // Authentication accepts any whitespace after the scheme; the seal must read the same key.
    var first =
        Api.anonymous()
            .header("Authorization", "  bearer\t" + key)
            .header("Idempotency-Key", idem)
            .body(Map.of())
            .post(path)
            .then()
            .extract();
    assertThat(first.statusCode()).isEqualTo(201);
    var retry = as(key).header("Idempotency-Key", idem).body(Map.of()).post(path).then().extract();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.<String>path("token")).isEqualTo(first.<String>path("token"));
  }

  @Test
  void aPartyTokenIsReplayedOnlyToTheKeyThatAskedForIt() throws Exception {
    var tenant = Api.newTenantResponse("test");
    String key = tenant.path("apiKey");
    String partyId = party(key);
    String idem = "sealed-token-" + System.nanoTime();
    String path = "/v1/parties/" + partyId + "/tokens";
    Map<String, String> body = Map.of();
    var first = as(key).header("Idempotency-Key", idem).body(body).post(path).then().extract();
    assertThat(first.statusCode()).isEqualTo(201);
    String token = first.path("token");
    assertThat(stored(idem)).isZero();
    assertThat(holding(token)).isZero();

    // Another key of the same tenant cannot open the answer: it is told so, and nothing is made.
    String otherKey =
        admin()
            .post("/v1/tenants/" + tenant.path("id") + "/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("apiKey");
    as(otherKey)
        .header("Idempotency-Key", idem)
        .body(body)
        .post(path)
        .then()
        .statusCode(422)
        .body("type", endsWith("/idempotency-key-reuse"));
    assertThat(sql.count("select count(*) from party_token where party_id = ?", partyId))
        .isEqualTo(1);

    var retry = as(key).header("Idempotency-Key", idem).body(body).post(path).then().extract();
    assertThat(retry.statusCode()).isEqualTo(201);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.<String>path("token")).isEqualTo(token);
  }

  @Test
  void aWebhookSecretIsNotReadableFromItsStoredAnswer() throws Exception {
    String key = Api.newTenant("test");
    String idem = "sealed-endpoint-" + System.nanoTime();
    Map<String, Object> body =
        Map.of("url", "http://127.0.0.1:9/hooks", "eventTypes", java.util.List.of("*"));
    var first =
        as(key)
            .header("Idempotency-Key", idem)
            .body(body)
            .post("/v1/webhook-endpoints")
            .then()
            .extract();
    assertThat(first.statusCode()).isEqualTo(201);
    String secret = first.path("secret");
    assertThat(secret).isNotBlank();
    assertThat(holding(secret)).isZero();
    var retry =
        as(key)
            .header("Idempotency-Key", idem)
            .body(body)
            .post("/v1/webhook-endpoints")
            .then()
            .extract();
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.<String>path("secret")).isEqualTo(secret);
  }

  /** Records that hold this raw Idempotency-Key. */
  private long stored(String idem) throws Exception {
    return sql.count(
        "select count(*) from idempotency_record where idem_key = ? or scope like '%' || ?",
        idem, idem);
  }

  /** Records whose stored answer contains this text. */
  private long holding(String text) throws Exception {
    return sql.count(
        "select count(*) from idempotency_record where body like '%' || ? || '%'"
            + " or headers::text like '%' || ? || '%'",
        text, text);
  }
}

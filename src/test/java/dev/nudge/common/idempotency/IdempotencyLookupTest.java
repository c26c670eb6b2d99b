package dev.nudge.common.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A retry finds its stored answer by the key's SHA-256, and, for records written before keys were
 * hashed (kept until retention removes them), by the raw key: the key's check looks each up by the
 * whole primary key. Records of other keys in the same scope are never an answer.
 */
@QuarkusTest
class IdempotencyLookupTest {

  private static final String BODY = "{\"name\":\"Lookup test\",\"mode\":\"test\"}";

  @Inject AgroalDataSource db;

  @Test
  void aRecordStoredUnderTheHashedOrTheRawKeyIsReplayedAndNoOtherKeysIs() throws Exception {
    Sql sql = new Sql(db);
    String hashed = "lookup-hashed-" + System.nanoTime();
    String raw = "lookup-raw-" + System.nanoTime();
    store(sql, sha256(hashed), "ten_hashed");
    store(sql, raw, "ten_raw");
    // Another key's record in the same scope answers nothing but that key.
    String fresh = "lookup-fresh-" + System.nanoTime();
    store(sql, sha256("lookup-other-" + System.nanoTime()), "ten_other");

    assertReplayed(hashed, "ten_hashed");
    assertReplayed(raw, "ten_raw");
    long tenants = sql.count("select count(*) from tenant");
    HttpResponse<String> created = post(fresh);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Idempotent-Replayed")).isEmpty();
    assertThat(sql.count("select count(*) from tenant")).isEqualTo(tenants + 1);
  }

  private static void assertReplayed(String idem, String tenantId) {
    HttpResponse<String> answer = post(idem);
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    assertThat(answer.body()).isEqualTo("{\"id\":\"" + tenantId + "\"}");
  }

  private static HttpResponse<String> post(String idem) {
    return Api.raw("POST", "/v1/tenants", Api.ADMIN_KEY, BODY, Map.of("Idempotency-Key", idem));
  }

  /** A stored answer as an earlier request left it (bodies stored before sealing are plain). */
  private static void store(Sql sql, String idemKey, String tenantId) throws Exception {
    sql.run(
        "insert into idempotency_record (scope, idem_key, request_hash, status, content_type,"
            + " body, headers, completed_at) values ('admin', ?, ?, 201, 'application/json', ?,"
            + " '{}', now())",
        idemKey,
        sha256("POST /v1/tenants\n" + BODY),
        "{\"id\":\"" + tenantId + "\"}");
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}

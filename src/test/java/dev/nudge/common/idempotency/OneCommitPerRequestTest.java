package dev.nudge.common.idempotency;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.get;
import static dev.nudge.support.Fixtures.historyActions;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code Idempotency-Key}'s check, the endpoint's writes and the stored answer are one
 * transaction: a failure between the writes and the answer leaves neither (before, the writes
 * committed on their own, and a retry after the claim was taken for abandoned ran them again). The
 * failure is injected in the database: a trigger refuses to store the answers of this test's keys.
 */
@QuarkusTest
class OneCommitPerRequestTest {

  private static final String FAILING = "answer-fails-";

  @Inject AgroalDataSource db;

  private Sql sql;
  private String key;
  private String seller;
  private String buyer;

  @BeforeEach
  void tenantAndFailingAnswers() throws Exception {
    sql = new Sql(db);
    key = Api.newTenant("test");
    seller = party(key);
    buyer = party(key);
    sql.run("create table if not exists nudge_test_failing_key (idem_key text primary key)");
    sql.run(
        "create or replace function nudge_test_refuse_answer() returns trigger language plpgsql as"
            + " $$ begin if new.idem_key in (select idem_key from nudge_test_failing_key) then"
            + " raise exception 'injected failure' using errcode = '40001'; end if;"
            + " return new; end $$");
    sql.run(
        "create or replace trigger nudge_test_refuse_answer before insert or update on"
            + " idempotency_record for each row execute function nudge_test_refuse_answer()");
  }

  @AfterEach
  void noMoreFailures() throws Exception {
    sql.run("drop trigger if exists nudge_test_refuse_answer on idempotency_record");
    sql.run("drop function if exists nudge_test_refuse_answer()");
    sql.run("drop table if exists nudge_test_failing_key");
  }

  /** A new Idempotency-Key; with the {@code FAILING} prefix, storing its answer fails. */
  private String idem(String prefix) throws Exception {
    String idem = prefix + System.nanoTime();
    if (prefix.equals(FAILING)) {
      sql.run("insert into nudge_test_failing_key values (?)", stored(idem));
    }
    return idem;
  }

  /** The key as its record holds it: its SHA-256. */
  private static String stored(String idem) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(idem.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aTradeWhoseAnswerCannotBeStoredIsNotCreated() throws Exception {
    String idem = idem(FAILING);
    Map<String, Object> body =
        Map.of(
            "title",
            "Poster",
            "initiatorId",
            seller,
            "counterpartyId",
            buyer,
            "items",
            List.of(Map.of("from", "initiator", "description", "Poster")));
    int refused =
        as(key)
            .header("Idempotency-Key", idem)
            .body(body)
            .post("/v1/trades")
            .then()
            .extract()
            .statusCode();
    // The injected failure is a serialization failure: the client is told to retry.
    assertThat(refused).isEqualTo(409);
    assertThat(get(key, "/v1/trades").getList("data")).isEmpty();
    assertThat(records(idem)).isZero();
    assertThat(sql.count("select count(*) from trade_party where party_id = ?", seller)).isZero();

    // The same key once storing works: the trade is created once, and replayed after.
    sql.run("drop trigger nudge_test_refuse_answer on idempotency_record");
    var created = as(key).header("Idempotency-Key", idem).body(body).post("/v1/trades");
    created.then().statusCode(201).header("Idempotent-Replayed", (String) null);
    var replayed = as(key).header("Idempotency-Key", idem).body(body).post("/v1/trades");
    replayed.then().statusCode(201).header("Idempotent-Replayed", "true");
    assertThat(replayed.jsonPath().getString("id")).isEqualTo(created.jsonPath().getString("id"));
    assertThat(replayed.header("Location")).isEqualTo(created.header("Location"));
    assertThat(replayed.header("ETag")).isEqualTo(created.header("ETag"));
    assertThat(get(key, "/v1/trades").getList("data")).hasSize(1);
    assertThat(records(idem)).isEqualTo(1);
  }

  @Test
  void anActionWhoseAnswerCannotBeStoredIsNotApplied() throws Exception {
    String trade = trade(key, seller, buyer, null);
    int version = trade(key, trade).getInt("version");
    String idem = idem(FAILING);
    Map<String, String> body = Map.of("type", "request_reply", "partyId", seller);
    as(key)
        .header("Idempotency-Key", idem)
        .body(body)
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(409);
    assertThat(trade(key, trade).getString("state")).isEqualTo("agreed");
    assertThat(trade(key, trade).getInt("version")).isEqualTo(version);
    assertThat(historyActions(key, trade)).containsExactly("create");
    assertThat(records(idem)).isZero();
  }

  @Test
  void aPartyWhoseAnswerCannotBeStoredIsNotCreated() throws Exception {
    String idem = idem(FAILING);
    Map<String, String> body =
        Map.of("handle", "@once", "displayName", "Once", "locale", "en", "timeZone", "UTC");
    as(key).header("Idempotency-Key", idem).body(body).post("/v1/parties").then().statusCode(409);
    assertThat(get(key, "/v1/parties").getList("data")).hasSize(2); // seller and buyer only
    assertThat(records(idem)).isZero();
  }

  /**
   * A request whose key is held by a transaction still running waits for it, and replays the answer
   * that transaction commits, running nothing itself.
   */
  @Test
  void aRequestWithTheKeyOfOneInFlightWaitsAndReplaysItsAnswer() throws Exception {
    String idem = idem("in-flight-");
    String body = "{\"name\":\"In flight\",\"mode\":\"live\"}";
    long tenantsBefore = sql.count("select count(*) from tenant");
    try (Connection holder = db.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps =
          holder.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
        ps.setString(1, "admin " + stored(idem));
        ps.execute();
      }
      CompletableFuture<HttpResponse<String>> waiting =
          CompletableFuture.supplyAsync(
              () ->
                  Api.raw(
                      "POST", "/v1/tenants", Api.ADMIN_KEY, body, Map.of("Idempotency-Key", idem)));
      awaitKeyTried(idem);
      assertThat(waiting).isNotDone();
      try (PreparedStatement ps =
          holder.prepareStatement(
              "insert into idempotency_record (scope, idem_key, request_hash, status,"
                  + " content_type, body, headers, completed_at)"
                  + " values ('admin', ?, ?, 201, 'application/json', '{\"id\":\"ten_held\"}',"
                  + " '{}', now())")) {
        ps.setString(1, stored(idem));
        ps.setString(2, hash("POST /v1/tenants\n", body));
        ps.execute();
      }
      holder.commit();
      HttpResponse<String> answer = waiting.get(15, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.headers().firstValue("Idempotent-Replayed")).hasValue("true");
      assertThat(answer.body()).isEqualTo("{\"id\":\"ten_held\"}");
    }
    assertThat(sql.count("select count(*) from tenant")).isEqualTo(tenantsBefore);
    admin().get("/v1/tenants").then().statusCode(200);
  }

  /**
   * A keyed trade create with a cancellation policy reads the policy on the connection that holds
   * its key, not on a second pooled one (before, Hibernate read it on another connection while the
   * key's transaction waited: one request held two, and as many such requests as the pool has
   * connections could starve each other until the acquisition timeout). The policy table is locked
   * so that the request stops at its policy read; the session waiting there must be the one holding
   * the key's advisory lock.
   */
  @Test
  void aKeyedCreateReadsItsPolicyOnTheConnectionHoldingItsKey() throws Exception {
    String policy = Fixtures.policy(key, Map.of());
    String idem = idem("policy-read-");
    String body =
        "{\"title\":\"Lamp\",\"initiatorId\":\""
            + seller
            + "\",\"counterpartyId\":\""
            + buyer
            + "\",\"policyId\":\""
            + policy
            + "\",\"items\":[{\"from\":\"initiator\",\"description\":\"Lamp\"}]}";
    CompletableFuture<HttpResponse<String>> created;
    try (Connection holder = db.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps =
          holder.prepareStatement("lock table cancellation_policy in access exclusive mode")) {
        ps.execute();
      }
      created =
          CompletableFuture.supplyAsync(
              () -> Api.raw("POST", "/v1/trades", key, body, Map.of("Idempotency-Key", idem)));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long waiting;
      while ((waiting =
              sql.count(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                      + " and query like '%cancellation_policy%' and pid <> pg_backend_pid()"))
          == 0) {
        assertThat(System.nanoTime())
            .as("the create reached its policy read within 10 s")
            .isLessThan(deadline);
        Thread.onSpinWait();
      }
      assertThat(waiting).isEqualTo(1);
      assertThat(
              sql.count(
                  "select count(*) from pg_stat_activity a join pg_locks l on l.pid = a.pid"
                      + " where a.wait_event_type = 'Lock' and a.query like"
                      + " '%cancellation_policy%' and l.locktype = 'advisory' and l.granted"))
          .as("the session reading the policy holds the Idempotency-Key's lock")
          .isEqualTo(1);
      holder.commit();
    }
    HttpResponse<String> answer = created.get(15, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.body()).contains("\"" + policy + "\"");
  }

  /** Waits (bounded) until another session has tried to take a key. */
  private void awaitKeyTried(String idem) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sql.count(
            "select count(*) from pg_stat_activity where query like"
                + " '%pg_try_advisory_xact_lock%' and pid <> pg_backend_pid()")
        == 0) {
      assertThat(System.nanoTime()).as("a request tried the key within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private long records(String idem) throws Exception {
    return sql.count("select count(*) from idempotency_record where idem_key = ?", stored(idem));
  }

  private static String hash(String head, String body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(head.getBytes(StandardCharsets.UTF_8));
    sha.update(body.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest());
  }
}

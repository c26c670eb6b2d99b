package dev.nudge.event;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.advance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bounded growth (SPEC §4): events past {@code nudge.events.retention} (30 days) go, with their
 * webhook deliveries and attempts; the feed answers a cursor from before them with 410; trades and
 * their history stay. Driven by the test clock and by retention rounds run "as of" a later instant,
 * never by waiting.
 */
@QuarkusTest
class RetentionTest {

  @Inject EventRetention retention;
  @Inject AgroalDataSource db;

  private static List<String> subjects(String key, String after) {
    var spec = as(key);
    if (after != null) {
      spec = spec.queryParam("after", after);
    }
    return spec.get("/v1/events").then().statusCode(200).extract().path("data.subject.id");
  }

  @Test
  void eventsPastRetentionAreRemovedAndAnOlderCursorIsGone() {
    String key = Fixtures.tenant("test");
    String a = Fixtures.party(key);
    String b = Fixtures.party(key);
    // Issued before anything happened: continuing from it would need the events removed below.
    String early = as(key).get("/v1/events").then().statusCode(200).extract().path("nextCursor");
    String old = Fixtures.trade(key, a, b, null);
    as(key)
        .body(Map.of("type", "confirm_payment", "partyId", b))
        .post("/v1/trades/" + old + "/actions")
        .then()
        .statusCode(200);
    String seen = as(key).get("/v1/events").then().extract().path("nextCursor");
    assertThat(subjects(key, null)).containsExactly(old, old);

    advance(key, "P29D");
    retention.run();
    assertThat(subjects(key, null)).as("29 days old: kept").containsExactly(old, old);
    advance(key, "P2D");
    String recent = Fixtures.trade(key, a, b, null);
    retention.run();

    assertThat(subjects(key, null)).containsExactly(recent);
    // A consumer that had read everything before the removal misses nothing: its cursor holds.
    assertThat(subjects(key, seen)).containsExactly(recent);
    as(key)
        .queryParam("after", early)
        .get("/v1/events")
        .then()
        .statusCode(410)
        .contentType("application/problem+json")
        .body("type", endsWith("/cursor-expired"));
    as(key)
        .header("Last-Event-ID", early)
        .get("/v1/events/stream")
        .then()
        .statusCode(410)
        .body("type", endsWith("/cursor-expired"));
    // The trade and its evidence are never removed.
    as(key).get("/v1/trades/" + old).then().statusCode(200);
    as(key).get("/v1/trades/" + old + "/history").then().statusCode(200).body("data", hasSize(2));
  }

  @Test
  void deliveriesAndAttemptsGoBeforeTheirEvents() throws Exception {
    String key = Fixtures.tenant("test");
    String a = Fixtures.party(key);
    String b = Fixtures.party(key);
    Sql sql = new Sql(db);
    try (Receiver receiver = new Receiver()) {
      String endpoint =
          as(key)
              .body(Map.of("url", receiver.url(), "eventTypes", List.of("trade.created")))
              .post("/v1/webhook-endpoints")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      String old = Fixtures.trade(key, a, b, null);
      advance(key, "P31D");
      String recent = Fixtures.trade(key, a, b, null);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  as(key)
                      .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
                      .then()
                      .body("data", hasSize(2)));
      String oldEvent =
          sql.string("select id from event where subject_id = ? and type = 'trade.created'", old);

      retention.run();

      assertThat(sql.count("select count(*) from webhook_delivery where event_id = ?", oldEvent))
          .isZero();
      List<String> attempted =
          as(key)
              .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
              .then()
              .statusCode(200)
              .extract()
              .path("data.eventId");
      assertThat(attempted)
          .containsExactly(
              sql.string(
                  "select id from event where subject_id = ? and type = 'trade.created'", recent));

      // Attempts age on their tenant's clock, as they are stamped: as of the live tenants' time
      // a month on, this test tenant's attempt is still new...
      retention.run(Instant.now().plus(Duration.ofDays(31)));
      as(key)
          .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
          .then()
          .statusCode(200)
          .body("data", hasSize(1));
      // ...and a month on its own clock it is gone.
      advance(key, "P31D");
      retention.run();
      as(key)
          .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
          .then()
          .statusCode(200)
          .body("data", hasSize(0));
    }
  }

  @Test
  void anAttemptMadeLongAfterItsEventGoesWithIt() throws Exception {
    String key = Fixtures.tenant("test");
    String a = Fixtures.party(key);
    String b = Fixtures.party(key);
    Sql sql = new Sql(db);
    try (Receiver receiver = new Receiver()) {
      String endpoint =
          as(key)
              .body(Map.of("url", receiver.url(), "eventTypes", List.of("trade.created")))
              .post("/v1/webhook-endpoints")
              .then()
              .statusCode(201)
              .extract()
              .path("id");
      String trade = Fixtures.trade(key, a, b, null);
      String event =
          sql.string("select id from event where subject_id = ? and type = 'trade.created'", trade);
      awaitAttempts(key, endpoint, 1);
      advance(key, "P20D");
      as(key).post("/v1/events/" + event + "/redeliver").then().statusCode(202);
      awaitAttempts(key, endpoint, 2);
      // The event is 31 days old, the redelivered attempt 11 days: it still goes with its event.
      advance(key, "P11D");

      retention.run();

      assertThat(sql.count("select count(*) from event where id = ?", event)).isZero();
      as(key)
          .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
          .then()
          .statusCode(200)
          .body("data", hasSize(0));
    }
  }

  private static void awaitAttempts(String key, String endpoint, int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
                    .then()
                    .body("data", hasSize(count)));
  }

  @Test
  void removalFollowsTheFeedOrderWhenTransactionIdsGainADigit() throws Exception {
    String key = Api.newTenant("live");
    String a = Fixtures.party(key);
    String b = Fixtures.party(key);
    String trade = Fixtures.trade(key, a, b, null);
    Sql sql = new Sql(db);
    String tenant = sql.string("select tenant_id from event where subject_id = ? limit 1", trade);
    // Feed order is by transaction id as a number: 9, then 10, then today's. As text, "10" and
    // today's ids sort before "9", which would hide the expired event behind a recent one.
    String subject = "trd_order_" + System.nanoTime();
    String insert =
        "insert into event (id, tenant_id, type, subject_kind, subject_id, sequence, created_at,"
            + " data, txid) values (?, ?, 'trade.updated', 'trade', ?, ?, now() - ?::interval,"
            + " '{}', ?::xid8)";
    sql.run(insert, subject + "_expired", tenant, subject, 1, "40 days", "9");
    sql.run(insert, subject + "_recent", tenant, subject, 2, "1 day", "10");
    long today = sql.count("select count(*) from event where subject_id = ?", trade);

    retention.run();

    assertThat(sql.count("select count(*) from event where subject_id = ?", subject))
        .as("the 40-day-old event (txid 9) removed, the day-old one (txid 10) kept")
        .isOne();
    assertThat(sql.string("select id from event where subject_id = ?", subject))
        .isEqualTo(subject + "_recent");
    assertThat(sql.count("select count(*) from event where subject_id = ?", trade))
        .isEqualTo(today);
  }

  @Test
  void idempotencyRecordsGoAfterADay() {
    String key = Api.newTenant("live");
    Map<String, Object> first =
        Map.of("handle", "@first", "displayName", "First", "locale", "en", "timeZone", "UTC");
    Map<String, Object> second =
        Map.of("handle", "@second", "displayName", "Second", "locale", "en", "timeZone", "UTC");
    String idem = "retention-" + System.nanoTime();
    as(key).header("Idempotency-Key", idem).body(first).post("/v1/parties").then().statusCode(201);
    as(key).header("Idempotency-Key", idem).body(second).post("/v1/parties").then().statusCode(422);

    assertThat(retention.run(Instant.now().plus(Duration.ofHours(23))).idempotencyRecords())
        .as("kept for 24 h")
        .isZero();
    as(key).header("Idempotency-Key", idem).body(second).post("/v1/parties").then().statusCode(422);

    assertThat(retention.run(Instant.now().plus(Duration.ofHours(25))).idempotencyRecords())
        .isPositive();
    as(key).header("Idempotency-Key", idem).body(second).post("/v1/parties").then().statusCode(201);
  }
}

package dev.nudge.trade;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.nudge.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TradeApiTest {

  @Test
  void goodsExchangeFromAgreedToCompleted() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String t = f.trade();
    as(f.key)
        .get("/v1/trades/" + t)
        .then()
        .statusCode(200)
        .header("ETag", notNullValue())
        .body("state", equalTo("agreed"))
        .body("policy.replyWindow", equalTo("P3D"))
        .body("policy.onSilence.completionConfirmation", equalTo("complete"))
        .body("source.url", equalTo("https://x.com/aki/status/1"))
        .body("allowedActions." + f.a, hasItem("request_reply"));

    f.act(t, "request_reply", f.a)
        .statusCode(200)
        .body("state", equalTo("awaiting_reply"))
        .body("awaiting.partyId", equalTo(f.b))
        .body("awaiting.kind", equalTo("reply"))
        .body("reminders.max", equalTo(2));
    f.act(t, "reply", f.b)
        .statusCode(200)
        .body("state", equalTo("agreed"))
        .body("awaiting", nullValue());
    f.act(t, "confirm_payment", f.a)
        .statusCode(200)
        .body("milestones.paymentConfirmedAt", notNullValue());
    f.act(t, "confirm_shipment", f.b).statusCode(200);
    f.act(t, "confirm_receipt", f.a).statusCode(200);
    f.act(t, "confirm_completion", f.a)
        .statusCode(200)
        .body("state", equalTo("awaiting_reply"))
        .body("awaiting.kind", equalTo("completion_confirmation"))
        .body("awaiting.partyId", equalTo(f.b));
    f.act(t, "confirm_completion", f.b)
        .statusCode(200)
        .body("state", equalTo("completed"))
        .body("completedAt", notNullValue())
        .body("allowedActions." + f.a, org.hamcrest.Matchers.empty());

    as(f.key)
        .get("/v1/trades/" + t + "/history")
        .then()
        .statusCode(200)
        .body(
            "data.action",
            contains(
                "create",
                "request_reply",
                "reply",
                "confirm_payment",
                "confirm_shipment",
                "confirm_receipt",
                "confirm_completion",
                "confirm_completion"))
        .body("data[1].fromState", equalTo("agreed"))
        .body("data[1].toState", equalTo("awaiting_reply"))
        .body("data[7].toState", equalTo("completed"));

    List<String> types =
        as(f.key)
            .queryParam("types", "trade.*")
            .get("/v1/events")
            .then()
            .statusCode(200)
            .extract()
            .path("data.type");
    assertThat(types).startsWith("trade.created").contains("trade.state_changed", "trade.updated");
    assertThat(types).endsWith("trade.state_changed", "trade.completed");
    List<Integer> seqs = as(f.key).get("/v1/events").then().extract().path("data.sequence");
    for (int i = 0; i < seqs.size(); i++) {
      assertThat(seqs.get(i)).isEqualTo(i + 1);
    }
  }

  @Test
  void mutualCancellationAfterPayment() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String t = f.trade();
    f.act(t, "confirm_payment", f.b).statusCode(200);
    f.act(
            t,
            Map.of(
                "type",
                "request_cancellation",
                "partyId",
                f.a,
                "note",
                "Item damaged",
                "evidenceUrl",
                "https://x.com/aki/status/2"))
        .statusCode(200)
        .body("state", equalTo("awaiting_reply"))
        .body("awaiting.kind", equalTo("cancellation_consent"));
    f.act(t, "accept_cancellation", f.b)
        .statusCode(200)
        .body("state", equalTo("cancelled"))
        .body("cancellation.reason", equalTo("mutual"))
        .body("cancellation.byPartyId", equalTo(f.a))
        .body("cancellation.automatic", equalTo(false))
        .body("cancellation.note", equalTo("Item damaged"));
    as(f.key).get("/v1/trades/" + t).then().body("cancellation.note", equalTo("Item damaged"));
    as(f.key)
        .get("/v1/trades/" + t + "/history")
        .then()
        .body("data[2].note", equalTo("Item damaged"))
        .body("data[2].evidenceUrl", equalTo("https://x.com/aki/status/2"));
    List<String> types = as(f.key).get("/v1/events").then().extract().path("data.type");
    assertThat(types).endsWith("trade.cancelled");
  }

  @Test
  void aMutualCancellationKeepsTheNoteOfTheRequestItGrants() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String t = f.trade(f.policy(Map.of("freeCancellationUntil", "never")));
    f.act(t, Map.of("type", "request_cancellation", "partyId", f.a, "note", "Wrong card"))
        .statusCode(200);
    f.act(t, "decline_cancellation", f.b).statusCode(200).body("cancellation", nullValue());
    f.act(t, Map.of("type", "request_cancellation", "partyId", f.b, "note", "Lost in the post"))
        .statusCode(200)
        .body("cancellation", nullValue());
    // The latest request's note, not the declined one's nor the answer's.
    f.act(t, Map.of("type", "accept_cancellation", "partyId", f.a, "note", "Fine, refunded"))
        .statusCode(200)
        .body("cancellation.reason", equalTo("mutual"))
        .body("cancellation.byPartyId", equalTo(f.b))
        .body("cancellation.note", equalTo("Lost in the post"));
    as(f.key)
        .get("/v1/trades/" + t + "/history")
        .then()
        .body("data.note", hasItems("Wrong card", "Lost in the post", "Fine, refunded"));

    // A request without a note: the answer's note is the one kept.
    String quiet = f.trade(f.policy(Map.of("freeCancellationUntil", "never")));
    f.act(quiet, "request_cancellation", f.a).statusCode(200);
    f.act(quiet, Map.of("type", "accept_cancellation", "partyId", f.b, "note", "Agreed by DM"))
        .statusCode(200)
        .body("cancellation.note", equalTo("Agreed by DM"));
  }

  @Test
  void freeWithdrawalDeclineAndCancelForNoReplyRules() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String free = f.trade();
    f.act(free, "request_cancellation", f.b)
        .statusCode(200)
        .body("state", equalTo("cancelled"))
        .body("cancellation.reason", equalTo("withdrawn"));

    String declined = f.trade(f.policy(Map.of("freeCancellationUntil", "never")));
    f.act(declined, "request_cancellation", f.a)
        .statusCode(200)
        .body("awaiting.kind", equalTo("cancellation_consent"));
    f.act(declined, "decline_cancellation", f.a)
        .statusCode(409)
        .body("type", endsWith("/illegal-transition"));
    f.act(declined, "decline_cancellation", f.b).statusCode(200).body("state", equalTo("agreed"));

    String waiting = f.trade();
    f.act(waiting, "request_reply", f.a).statusCode(200);
    f.act(waiting, "cancel_for_no_reply", f.a)
        .statusCode(409)
        .body("type", endsWith("/illegal-transition"))
        .body("state", equalTo("awaiting_reply"))
        .body("allowedActions", hasItem("extend_deadline"))
        .body("allowedActions", not(hasItem("cancel_for_no_reply")));
  }

  @Test
  void extendDeadlineMovesDueAt() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String t = f.trade();
    String due = f.act(t, "request_reply", f.a).extract().path("awaiting.dueAt");
    f.act(t, Map.of("type", "extend_deadline", "partyId", f.a, "extendBy", "P1D"))
        .statusCode(200)
        .body(
            "awaiting.dueAt",
            equalTo(Instant.parse(due).plus(Duration.ofDays(1)).toString().replace("Z", "Z")));
    f.act(t, Map.of("type", "extend_deadline", "partyId", f.b, "extendBy", "P1D")).statusCode(409);
    f.act(t, Map.of("type", "extend_deadline", "partyId", f.a))
        .statusCode(400)
        .body("errors.field", hasItem("extendBy"));
    f.act(t, Map.of("type", "extend_deadline", "partyId", f.a, "extendBy", "soon"))
        .statusCode(400)
        .body("errors.field", hasItem("extendBy"));
  }

  @Test
  void refusalsAre409WithAllowedActionsAnd403ForStrangers() {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String t = f.trade();
    f.act(t, "reply", f.a)
        .statusCode(409)
        .body("type", endsWith("/illegal-transition"))
        .body("state", equalTo("agreed"))
        .body("action", equalTo("reply"))
        .body("allowedActions", hasItems("request_reply", "confirm_completion"));
    String stranger = TradeFixtures.party(f.key, "@carol", "en", "UTC");
    f.act(t, "request_reply", stranger).statusCode(403).body("type", endsWith("/forbidden"));
    f.act(t, "dance", f.a).statusCode(400).body("errors.field", hasItem("type"));
    f.act(t, Map.of("type", "reply")).statusCode(400).body("errors.field", hasItem("partyId"));
  }

  @Test
  void ifMatchGuardsActions() {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String t = f.trade();
    String etag = as(f.key).get("/v1/trades/" + t).then().extract().header("ETag");
    as(f.key)
        .header("If-Match", "\"999\"")
        .body(Map.of("type", "request_reply", "partyId", f.a))
        .post("/v1/trades/" + t + "/actions")
        .then()
        .statusCode(412)
        .body("type", endsWith("/version-conflict"));
    as(f.key)
        .header("If-Match", etag)
        .body(Map.of("type", "request_reply", "partyId", f.a))
        .post("/v1/trades/" + t + "/actions")
        .then()
        .statusCode(200);
    as(f.key)
        .header("If-Match", etag)
        .body(Map.of("type", "reply", "partyId", f.b))
        .post("/v1/trades/" + t + "/actions")
        .then()
        .statusCode(412);
  }

  @Test
  void createValidatesPartiesItemsAndPolicy() {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    as(f.key)
        .body(
            Map.of(
                "title",
                "x",
                "initiatorId",
                f.a,
                "counterpartyId",
                f.a,
                "items",
                List.of(),
                "amount",
                Map.of("value", "-5", "currency", "yen")))
        .post("/v1/trades")
        .then()
        .statusCode(400)
        .body(
            "errors.field", hasItems("counterpartyId", "items", "amount.value", "amount.currency"));
    String other = new TradeFixtures(newTenant("live")).a;
    as(f.key)
        .body(
            Map.of(
                "title",
                "x",
                "initiatorId",
                f.a,
                "counterpartyId",
                other,
                "items",
                List.of(Map.of("from", "initiator", "description", "x"))))
        .post("/v1/trades")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("counterpartyId"));
    as(f.key)
        .body(
            Map.of(
                "title",
                "x",
                "initiatorId",
                f.a,
                "counterpartyId",
                f.b,
                "policyId",
                "pol_nope",
                "items",
                List.of(Map.of("from", "initiator", "description", "x"))))
        .post("/v1/trades")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("policyId"));
  }

  @Test
  void policiesAreSnapshottedIntoTrades() {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String policy =
        f.policy(
            Map.of(
                "replyWindow", "PT36H", "maxReminders", 3, "onSilence", Map.of("reply", "none")));
    as(f.key)
        .get("/v1/cancellation-policies/" + policy)
        .then()
        .statusCode(200)
        .body("replyWindow", equalTo("P1DT12H"))
        .body("maxReminders", equalTo(3))
        .body("onSilence.reply", equalTo("none"))
        .body("onSilence.completionConfirmation", equalTo("complete"))
        .body("finalGrace", equalTo("P1D"));
    String t = f.trade(policy);
    as(f.key)
        .get("/v1/trades/" + t)
        .then()
        .body("policy.id", equalTo(policy))
        .body("policy.maxReminders", equalTo(3));
    as(f.key)
        .body(
            Map.of(
                "name",
                "bad",
                "maxReminders",
                4,
                "replyWindow",
                "PT0S",
                "freeCancellationUntil",
                "later"))
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("maxReminders", "replyWindow", "freeCancellationUntil"));
    as(f.key)
        .get("/v1/cancellation-policies")
        .then()
        .statusCode(200)
        .body("data.id", hasItem(policy));
  }

  @Test
  void partiesValidateAndList() {
    String key = newTenant("live");
    as(key)
        .body(
            Map.of(
                "handle",
                "@x",
                "locale",
                "fr",
                "timeZone",
                "Mars/Olympus",
                "quietHours",
                Map.of("start", "25:00", "end", "24:00"),
                "channels",
                List.of(Map.of("type", "fax", "address", "1"))))
        .post("/v1/parties")
        .then()
        .statusCode(400)
        .body(
            "errors.field",
            hasItems(
                "locale", "timeZone", "quietHours.start", "quietHours.end", "channels[0].type"));
    var created =
        as(key)
            .body(
                Map.of(
                    "handle",
                    "@shop",
                    "locale",
                    "ja",
                    "timeZone",
                    "Asia/Tokyo",
                    "quietHours",
                    Map.of("start", "22:00", "end", "08:00"),
                    "channels",
                    List.of(Map.of("type", "x_dm", "address", "@shop"))))
            .post("/v1/parties")
            .then()
            .statusCode(201)
            .body("displayName", equalTo("@shop"))
            .body("quietHours.start", equalTo("22:00"))
            .extract();
    String id = created.path("id");
    as(key)
        .get("/v1/parties/" + id)
        .then()
        .statusCode(200)
        .body("channels[0].type", equalTo("x_dm"));
    as(key).get("/v1/parties").then().statusCode(200).body("data.id", hasItem(id));
  }

  @Test
  void listsFilterByStateAndParty() {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String t1 = f.trade();
    String t2 = f.trade();
    f.act(t2, "request_reply", f.a).statusCode(200);
    as(f.key)
        .queryParam("state", "awaiting_reply")
        .get("/v1/trades")
        .then()
        .statusCode(200)
        .body("data.id", contains(t2));
    as(f.key)
        .queryParam("partyId", f.b)
        .queryParam("limit", 1)
        .get("/v1/trades")
        .then()
        .body("data.id", contains(t1))
        .body("nextCursor", notNullValue());
    as(f.key)
        .get("/v1/parties/" + f.b + "/trades")
        .then()
        .statusCode(200)
        .body("data.id", contains(t1, t2));
    as(f.key).queryParam("state", "lost").get("/v1/trades").then().statusCode(400);
  }

  @Test
  void anotherTenantsTradesAreNotFound() {
    TradeFixtures mine = new TradeFixtures(newTenant("live"));
    String t = mine.trade();
    String other = newTenant("live");
    as(other).get("/v1/trades/" + t).then().statusCode(404).body("type", endsWith("/not-found"));
    as(other).get("/v1/trades/" + t + "/history").then().statusCode(404);
    as(other)
        .body(Map.of("type", "request_reply", "partyId", mine.a))
        .post("/v1/trades/" + t + "/actions")
        .then()
        .statusCode(404);
    as(other).get("/v1/parties/" + mine.a).then().statusCode(404);
    as(other).get("/v1/parties/" + mine.a + "/trades").then().statusCode(404);
    as(other).get("/v1/trades").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
    as(other).get("/v1/events").then().statusCode(200).body("data", org.hamcrest.Matchers.empty());
  }

  @Test
  void parallelActionsNeverLoseAnUpdate() throws Exception {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String t = f.trade();
    String due = f.act(t, "request_reply", f.a).extract().path("awaiting.dueAt");
    int n = 12;
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      String body =
          "{\"type\":\"extend_deadline\",\"partyId\":\"" + f.a + "\",\"extendBy\":\"PT1H\"}";
      for (int i = 0; i < n; i++) {
        calls.add(
            () ->
                Api.raw("POST", "/v1/trades/" + t + "/actions", f.key, body, Map.of())
                    .statusCode());
      }
      for (Future<Integer> r : pool.invokeAll(calls)) {
        assertThat(r.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    JsonPath trade = as(f.key).get("/v1/trades/" + t).then().extract().jsonPath();
    assertThat(Instant.parse(trade.getString("awaiting.dueAt")))
        .isEqualTo(Instant.parse(due).plus(Duration.ofHours(n)));
    assertThat(trade.getInt("version")).isEqualTo(2 + n);
    List<String> actions =
        as(f.key).get("/v1/trades/" + t + "/history").then().extract().path("data.action");
    assertThat(actions.stream().filter("extend_deadline"::equals).count()).isEqualTo(n);
  }

  @Test
  void concurrentConflictingActionsLetExactlyOneWin() throws Exception {
    TradeFixtures f = new TradeFixtures(newTenant("live"));
    String t = f.trade();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (String p : List.of(f.a, f.b)) {
        String body = "{\"type\":\"request_reply\",\"partyId\":\"" + p + "\"}";
        calls.add(
            () ->
                Api.raw("POST", "/v1/trades/" + t + "/actions", f.key, body, Map.of())
                    .statusCode());
      }
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> r : pool.invokeAll(calls)) {
        codes.add(r.get());
      }
      assertThat(codes).containsExactlyInAnyOrder(200, 409);
    } finally {
      pool.shutdownNow();
    }
  }
}

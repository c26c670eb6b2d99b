package dev.nudge.common;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.act;
import static dev.nudge.support.Fixtures.advance;
import static dev.nudge.support.Fixtures.get;
import static dev.nudge.support.Fixtures.historyActions;
import static dev.nudge.support.Fixtures.party;
import static dev.nudge.support.Fixtures.reminders;
import static dev.nudge.support.Fixtures.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which answers an {@code Idempotency-Key} keeps (README, API conventions; Stripe's rule): once the
 * endpoint began executing, its answer is replayed to every retry, refusals of the action included;
 * a request refused before it executed keeps nothing, so the retry with the same key gets a real
 * answer.
 */
@QuarkusTest
class IdempotentOutcomesApiTest {

  private String key;
  private String seller;
  private String buyer;

  @BeforeEach
  void tenantAndParties() {
    key = Api.newTenant("test");
    seller = party(key);
    buyer = party(key);
  }

  private ExtractableResponse<Response> post(String idem, String path, Map<String, ?> body) {
    return as(key).header("Idempotency-Key", idem).body(body).post(path).then().extract();
  }

  private static String idem() {
    return "idem-" + System.nanoTime();
  }

  // --- kept: the endpoint ran and refused the action itself ---------------------------------

  @Test
  void anIllegalTransitionIsReplayedEvenOnceTheActionWouldBeAllowed() {
    String trade = trade(key, seller, buyer, null);
    act(key, trade, "request_reply", seller);
    String k = idem();
    Map<String, String> again = Map.of("type", "request_reply", "partyId", seller);
    var first = post(k, "/v1/trades/" + trade + "/actions", again);
    assertThat(first.statusCode()).isEqualTo(409);
    assertThat(first.header("Idempotent-Replayed")).isNull();
    assertThat(first.<String>path("type")).endsWith("/illegal-transition");

    act(key, trade, "reply", buyer); // back in agreed: the same action would now be allowed
    var retry = post(k, "/v1/trades/" + trade + "/actions", again);
    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.body().asString()).isEqualTo(first.body().asString());
    assertThat(trade(key, trade).getString("state")).isEqualTo("agreed");
    assertThat(historyActions(key, trade)).containsOnlyOnce("request_reply");
  }

  @Test
  void aNudgePastTheCapIsReplayed() {
    String policy = Fixtures.policy(key, Map.of("maxReminders", 1));
    String trade = trade(key, seller, buyer, policy);
    act(key, trade, "request_reply", seller);
    post(idem(), "/v1/trades/" + trade + "/reminders", Map.of("fromPartyId", seller));
    advance(key, "PT12H");
    String k = idem();
    var first = post(k, "/v1/trades/" + trade + "/reminders", Map.of("fromPartyId", seller));
    assertThat(first.statusCode()).isEqualTo(409);
    assertThat(first.<String>path("type")).endsWith("/reminder-cap-reached");
    var retry = post(k, "/v1/trades/" + trade + "/reminders", Map.of("fromPartyId", seller));
    assertThat(retry.statusCode()).isEqualTo(409);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(reminders(key, trade)).hasSize(1);
  }

  @Test
  void strictModeWarningsAreReplayed() {
    String complaint = Fixtures.aComplaint(key).open();
    String k = idem();
    Map<String, String> body =
        Map.of("author", "Sato (support)", "body", "Send your address to sato@example.com");
    String path = "/v1/complaints/" + complaint + "/responses?strict=true";
    var first = post(k, path, body);
    assertThat(first.statusCode()).isEqualTo(422);
    assertThat(first.<String>path("type")).endsWith("/unprocessable");
    var retry = post(k, path, body);
    assertThat(retry.statusCode()).isEqualTo(422);
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retry.body().asString()).isEqualTo(first.body().asString());
    assertThat(get(key, "/v1/complaints/" + complaint + "/responses").getList("data")).isEmpty();
  }

  // --- freed: refused before the endpoint executed ------------------------------------------

  @Test
  void aNudgeTooSoonLeavesTheKeyForTheRetryAfterRetryAfter() {
    String trade = trade(key, seller, buyer, null);
    act(key, trade, "request_reply", seller);
    post(idem(), "/v1/trades/" + trade + "/reminders", Map.of("fromPartyId", seller));
    String k = idem();
    Map<String, String> body = Map.of("fromPartyId", seller);
    var tooSoon = post(k, "/v1/trades/" + trade + "/reminders", body);
    assertThat(tooSoon.statusCode()).isEqualTo(429);
    assertThat(tooSoon.header("Retry-After")).isEqualTo("43200");

    advance(key, "PT12H");
    var real = post(k, "/v1/trades/" + trade + "/reminders", body);
    assertThat(real.statusCode()).isEqualTo(201);
    assertThat(real.header("Idempotent-Replayed")).isNull();
    assertThat(real.<Integer>path("number")).isEqualTo(2);
    var replayed = post(k, "/v1/trades/" + trade + "/reminders", body);
    assertThat(replayed.statusCode()).isEqualTo(201);
    assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replayed.<String>path("id")).isEqualTo(real.path("id"));
    assertThat(reminders(key, trade)).hasSize(2);
  }

  @Test
  void aValidationFailureLeavesTheKeyForTheCorrectedRequest() {
    String k = idem();
    var refused =
        post(
            k,
            "/v1/parties",
            Map.of("handle", 123, "displayName", "Aki", "locale", "en", "timeZone", "UTC"));
    assertThat(refused.statusCode()).isEqualTo(400);
    var again =
        post(
            k,
            "/v1/parties",
            Map.of("handle", 123, "displayName", "Aki", "locale", "en", "timeZone", "UTC"));
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.<String>path("errors[0].field")).isEqualTo("handle");
    assertThat(again.header("Idempotent-Replayed")).isNull();
    // The corrected body under the same key runs (a kept 400 would make it a 422 key reuse).
    var created =
        post(
            k,
            "/v1/parties",
            Map.of("handle", "@aki", "displayName", "Aki", "locale", "en", "timeZone", "UTC"));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.header("Idempotent-Replayed")).isNull();
  }

  @Test
  void aFailedIfMatchLeavesTheKeyForTheRetryWithTheCurrentVersion() {
    String trade = trade(key, seller, buyer, null);
    String k = idem();
    Map<String, String> body = Map.of("type", "request_reply", "partyId", seller);
    as(key)
        .header("Idempotency-Key", k)
        .header("If-Match", "\"99\"")
        .body(body)
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(412)
        .body("type", endsWith("/version-conflict"));
    String etag = as(key).get("/v1/trades/" + trade).then().extract().header("ETag");
    as(key)
        .header("Idempotency-Key", k)
        .header("If-Match", etag)
        .body(body)
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(200)
        .header("Idempotent-Replayed", nullValue())
        .body("state", equalTo("awaiting_reply"));
  }

  @Test
  void forbiddenNotFoundAndUnsupportedAnswersAreNotKept() {
    String trade = trade(key, seller, buyer, null);
    act(key, trade, "request_reply", seller);
    String path = "/v1/trades/" + trade + "/reminders";

    String k403 = idem();
    Map<String, String> fromBuyer = Map.of("fromPartyId", buyer);
    assertThat(post(k403, path, fromBuyer).statusCode()).isEqualTo(403);
    var forbidden = post(k403, path, fromBuyer);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.header("Idempotent-Replayed")).isNull();

    String k404 = idem();
    Map<String, String> act = Map.of("type", "request_reply", "partyId", seller);
    String missing = "/v1/trades/trd_" + "0".repeat(26) + "/actions";
    assertThat(post(k404, missing, act).statusCode()).isEqualTo(404);
    var notFound = post(k404, missing, act);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.header("Idempotent-Replayed")).isNull();

    String k415 = idem();
    String json = "{\"fromPartyId\":\"" + seller + "\"}";
    as(key)
        .header("Idempotency-Key", k415)
        .contentType("text/plain")
        .body(json)
        .post(path)
        .then()
        .statusCode(415);
    as(key)
        .header("Idempotency-Key", k415)
        .contentType("application/json")
        .body(json)
        .post(path)
        .then()
        .statusCode(201)
        .header("Idempotent-Replayed", nullValue());
  }
}

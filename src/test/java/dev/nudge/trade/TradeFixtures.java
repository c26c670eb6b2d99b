package dev.nudge.trade;

import static dev.nudge.support.Api.as;

import io.restassured.response.ValidatableResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A tenant with two parties, and shortcuts to make and move trades over HTTP. */
public final class TradeFixtures {

  public final String key;
  public final String a;
  public final String b;

  public TradeFixtures(String key) {
    this.key = key;
    this.a = party(key, "@aki", "ja", "Asia/Tokyo");
    this.b = party(key, "@ben", "en", "Europe/London");
  }

  public static String party(String key, String handle, String locale, String zone) {
    return as(key)
        .body(Map.of("handle", handle, "locale", locale, "timeZone", zone))
        .post("/v1/parties")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public String policy(Map<String, Object> values) {
    Map<String, Object> body = new HashMap<>(values);
    body.putIfAbsent("name", "Policy " + System.nanoTime());
    return as(key)
        .body(body)
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  public String trade() {
    return trade(null);
  }

  public String trade(String policyId) {
    Map<String, Object> body = new HashMap<>();
    body.put("title", "Photocard swap");
    body.put("initiatorId", a);
    body.put("counterpartyId", b);
    body.put(
        "items",
        List.of(
            Map.of("from", "initiator", "description", "Card A"),
            Map.of("from", "counterparty", "description", "Card B")));
    body.put("source", Map.of("url", "https://x.com/aki/status/1", "note", "agreed in DM"));
    if (policyId != null) {
      body.put("policyId", policyId);
    }
    return as(key).body(body).post("/v1/trades").then().statusCode(201).extract().path("id");
  }

  public ValidatableResponse act(String tradeId, String type, String partyId) {
    return act(tradeId, Map.of("type", type, "partyId", partyId));
  }

  public ValidatableResponse act(String tradeId, Map<String, Object> body) {
    return as(key).body(body).post("/v1/trades/" + tradeId + "/actions").then();
  }
}

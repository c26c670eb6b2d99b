package dev.nudge.trade;

import static dev.nudge.support.Api.as;

import dev.nudge.support.Fixtures;
import io.restassured.response.ValidatableResponse;
import java.util.Map;

/**
 * A tenant with two parties (Aki in Tokyo, Ben in London) and their trades, over {@link Fixtures}.
 */
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
    return Fixtures.aParty(key).handle(handle).locale(locale).timeZone(zone).create();
  }

  public String policy(Map<String, Object> values) {
    return Fixtures.policy(key, values);
  }

  public String trade() {
    return trade(null);
  }

  /** A swap of one card each, agreed in a DM. */
  public String trade(String policyId) {
    return Fixtures.aTrade(key, a, b)
        .title("Photocard swap")
        .swap()
        .source("https://x.com/aki/status/1", "agreed in DM")
        .policy(policyId)
        .create();
  }

  public ValidatableResponse act(String tradeId, String type, String partyId) {
    return act(tradeId, Map.of("type", type, "partyId", partyId));
  }

  public ValidatableResponse act(String tradeId, Map<String, Object> body) {
    return as(key).body(body).post("/v1/trades/" + tradeId + "/actions").then();
  }
}

package dev.nudge.schedule;

import static dev.nudge.support.Api.as;

import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parties, policies and trades created over HTTP, and the test clock, for the timer tests. */
final class ScheduleFixtures {

  private ScheduleFixtures() {}

  static String party(String key, String locale, String zone, String quietStart, String quietEnd) {
    Map<String, Object> body = new HashMap<>();
    body.put("handle", "@p" + System.nanoTime());
    body.put("displayName", "Party " + System.nanoTime() % 1000);
    body.put("locale", locale);
    body.put("timeZone", zone);
    body.put("channels", List.of(Map.of("type", "x_dm", "address", "@someone")));
    if (quietStart != null) {
      body.put("quietHours", Map.of("start", quietStart, "end", quietEnd));
    }
    return as(key).body(body).post("/v1/parties").then().statusCode(201).extract().path("id");
  }

  static String party(String key) {
    return party(key, "en", "UTC", null, null);
  }

  /** A policy; {@code values} override the defaults, e.g. {@code maxReminders: 0}. */
  static String policy(String key, Map<String, Object> values) {
    Map<String, Object> body = new HashMap<>(values);
    body.put("name", "Policy " + System.nanoTime());
    return as(key)
        .body(body)
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  static String trade(String key, String initiator, String counterparty, String policyId) {
    Map<String, Object> body = new HashMap<>();
    body.put("title", "Photo card exchange");
    body.put("initiatorId", initiator);
    body.put("counterpartyId", counterparty);
    body.put("items", List.of(Map.of("from", "initiator", "description", "Card A")));
    if (policyId != null) {
      body.put("policyId", policyId);
    }
    return as(key).body(body).post("/v1/trades").then().statusCode(201).extract().path("id");
  }

  static JsonPath act(String key, String tradeId, String type, String partyId) {
    return act(key, tradeId, Map.of("type", type, "partyId", partyId));
  }

  static JsonPath act(String key, String tradeId, Map<String, Object> body) {
    return as(key)
        .body(body)
        .post("/v1/trades/" + tradeId + "/actions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static JsonPath get(String key, String path) {
    return as(key).get(path).then().statusCode(200).extract().jsonPath();
  }

  static JsonPath trade(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId);
  }

  static Instant now(String key) {
    return Instant.parse(get(key, "/v1/clock").getString("now"));
  }

  /** Advances the test clock; returns how many timers fired. */
  static int advance(String key, String by) {
    return as(key)
        .body(Map.of("by", by))
        .post("/v1/clock/advance")
        .then()
        .statusCode(200)
        .extract()
        .path("processed");
  }

  static List<Map<String, Object>> reminders(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId + "/reminders").getList("data");
  }

  static List<String> historyActions(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId + "/history").getList("data.action");
  }

  /** The types of the trade's events, in order. */
  static List<String> eventTypes(String key, String tradeId) {
    List<String> types = new ArrayList<>();
    String after = null;
    while (true) {
      var spec = as(key).queryParam("limit", 200);
      if (after != null) {
        spec.queryParam("after", after);
      }
      JsonPath page = spec.get("/v1/events").then().statusCode(200).extract().jsonPath();
      List<Map<String, Object>> data = page.getList("data");
      for (Map<String, Object> e : data) {
        @SuppressWarnings("unchecked")
        Map<String, Object> subject = (Map<String, Object>) e.get("subject");
        if (tradeId.equals(subject.get("id"))) {
          types.add((String) e.get("type"));
        }
      }
      if (!page.getBoolean("hasMore") || data.isEmpty()) {
        return types;
      }
      after = page.getString("nextCursor");
    }
  }

  static long count(List<String> values, String value) {
    return values.stream().filter(value::equals).count();
  }
}

package dev.nudge.support;

import static dev.nudge.support.Api.as;

import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way tests create tenants, parties, policies and trades, move them and read them back:
 * over HTTP, as a client would, every answer checked against the contract.
 */
public final class Fixtures {

  private Fixtures() {}

  /** A new tenant ({@code live} or {@code test}); returns its API key. */
  public static String tenant(String mode) {
    return Api.newTenant(mode);
  }

  /** A party of the tenant with this key, described step by step; {@link PartyBuilder#create}. */
  public static PartyBuilder aParty(String key) {
    return new PartyBuilder(key);
  }

  /** A party with a fresh handle, English, in UTC, reachable by X DM; returns its id. */
  public static String party(String key) {
    return aParty(key).create();
  }

  public static String party(
      String key, String locale, String zone, String quietStart, String quietEnd) {
    return aParty(key).locale(locale).timeZone(zone).quietHours(quietStart, quietEnd).create();
  }

  /** A party to create: sensible defaults, each overridable. */
  public static final class PartyBuilder {
    private final String key;
    private final Map<String, Object> body = new HashMap<>();

    private PartyBuilder(String key) {
      this.key = key;
      body.put("handle", "@p" + System.nanoTime());
      body.put("displayName", "Party " + System.nanoTime() % 1000);
      body.put("locale", "en");
      body.put("timeZone", "UTC");
      body.put("channels", List.of(Map.of("type", "x_dm", "address", "@someone")));
    }

    public PartyBuilder handle(String handle) {
      body.put("handle", handle);
      return this;
    }

    public PartyBuilder displayName(String name) {
      body.put("displayName", name);
      return this;
    }

    public PartyBuilder locale(String locale) {
      body.put("locale", locale);
      return this;
    }

    public PartyBuilder timeZone(String zone) {
      body.put("timeZone", zone);
      return this;
    }

    /** Quiet hours ({@code HH:mm}); null bounds mean none. */
    public PartyBuilder quietHours(String start, String end) {
      if (start == null) {
        body.remove("quietHours");
      } else {
        body.put("quietHours", Map.of("start", start, "end", end));
      }
      return this;
    }

    /** Creates the party; returns its id. */
    public String create() {
      return as(key).body(body).post("/v1/parties").then().statusCode(201).extract().path("id");
    }
  }

  /** A policy; {@code values} override the defaults, e.g. {@code maxReminders: 0}. */
  public static String policy(String key, Map<String, Object> values) {
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

  public static String trade(String key, String initiator, String counterparty, String policyId) {
    return aTrade(key, initiator, counterparty).policy(policyId).create();
  }

  /** A trade between two parties of the tenant with this key; {@link TradeBuilder#create}. */
  public static TradeBuilder aTrade(String key, String initiator, String counterparty) {
    return new TradeBuilder(key, initiator, counterparty);
  }

  /** A trade to create: one card from the initiator, the tenant's default policy. */
  public static final class TradeBuilder {
    private final String key;
    private final Map<String, Object> body = new HashMap<>();

    private TradeBuilder(String key, String initiator, String counterparty) {
      this.key = key;
      body.put("title", "Photo card exchange");
      body.put("initiatorId", initiator);
      body.put("counterpartyId", counterparty);
      body.put("items", List.of(Map.of("from", "initiator", "description", "Card A")));
    }

    public TradeBuilder title(String title) {
      body.put("title", title);
      return this;
    }

    /** A swap: one card from each side. */
    public TradeBuilder swap() {
      body.put(
          "items",
          List.of(
              Map.of("from", "initiator", "description", "Card A"),
              Map.of("from", "counterparty", "description", "Card B")));
      return this;
    }

    /** The DM where it was agreed. */
    public TradeBuilder source(String url, String note) {
      body.put("source", Map.of("url", url, "note", note));
      return this;
    }

    /** A cancellation policy's id; null keeps the tenant's default. */
    public TradeBuilder policy(String policyId) {
      if (policyId == null) {
        body.remove("policyId");
      } else {
        body.put("policyId", policyId);
      }
      return this;
    }

    /** Creates the trade; returns its id. */
    public String create() {
      return as(key).body(body).post("/v1/trades").then().statusCode(201).extract().path("id");
    }
  }

  /** A complaint case of the tenant with this key; {@link ComplaintBuilder#open}. */
  public static ComplaintBuilder aComplaint(String key) {
    return new ComplaintBuilder(key);
  }

  /** A case to open: a public X post about a delivery, of normal severity. */
  public static final class ComplaintBuilder {
    private final String key;
    private final Map<String, Object> body = new HashMap<>();

    private ComplaintBuilder(String key) {
      this.key = key;
      body.put("customer", Map.of("handle", "@mina_fan", "displayName", "Mina"));
      body.put("channel", "x_post");
      body.put("sourceUrl", "https://x.com/mina_fan/status/1861234567890");
      body.put("subject", "My order has not arrived");
      body.put("category", "delivery");
      body.put("severity", "normal");
    }

    public ComplaintBuilder severity(String severity) {
      body.put("severity", severity);
      return this;
    }

    public ComplaintBuilder category(String category) {
      body.put("category", category);
      return this;
    }

    public ComplaintBuilder set(String field, Object value) {
      body.put(field, value);
      return this;
    }

    /** Opens the case; returns its id. */
    public String open() {
      return as(key).body(body).post("/v1/complaints").then().statusCode(201).extract().path("id");
    }
  }

  /** A response of the support team; returns the answer ({response, warnings, complaint}). */
  public static JsonPath respond(String key, String complaintId, String body) {
    return as(key)
        .body(Map.of("author", "Sato (support)", "body", body))
        .post("/v1/complaints/" + complaintId + "/responses")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  /** A further message of the customer; returns the answer ({message, complaint}). */
  public static JsonPath customerWrites(String key, String complaintId, String body) {
    return as(key)
        .body(Map.of("body", body))
        .post("/v1/complaints/" + complaintId + "/messages")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  /** An action on a case; returns the case after it. */
  public static JsonPath actOnComplaint(String key, String complaintId, Map<String, Object> body) {
    return as(key)
        .body(body)
        .post("/v1/complaints/" + complaintId + "/actions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** The types of the subject's events in feed order, and each event's data. */
  public static List<Map<String, Object>> events(String key, String subjectId) {
    List<Map<String, Object>> out = new ArrayList<>();
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
        if (subjectId == null || subjectId.equals(subject.get("id"))) {
          out.add(e);
        }
      }
      if (!page.getBoolean("hasMore") || data.isEmpty()) {
        return out;
      }
      after = page.getString("nextCursor");
    }
  }

  public static JsonPath act(String key, String tradeId, String type, String partyId) {
    return act(key, tradeId, Map.of("type", type, "partyId", partyId));
  }

  public static JsonPath act(String key, String tradeId, Map<String, Object> body) {
    return as(key)
        .body(body)
        .post("/v1/trades/" + tradeId + "/actions")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  public static JsonPath get(String key, String path) {
    return as(key).get(path).then().statusCode(200).extract().jsonPath();
  }

  public static JsonPath trade(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId);
  }

  public static Instant now(String key) {
    return Instant.parse(get(key, "/v1/clock").getString("now"));
  }

  /** Advances the test clock; returns how many timers fired. */
  public static int advance(String key, String by) {
    return as(key)
        .body(Map.of("by", by))
        .post("/v1/clock/advance")
        .then()
        .statusCode(200)
        .extract()
        .path("processed");
  }

  public static List<Map<String, Object>> reminders(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId + "/reminders").getList("data");
  }

  public static List<String> historyActions(String key, String tradeId) {
    return get(key, "/v1/trades/" + tradeId + "/history").getList("data.action");
  }

  /** The types of the trade's events, in order. */
  public static List<String> eventTypes(String key, String tradeId) {
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

  public static long count(List<String> values, String value) {
    return values.stream().filter(value::equals).count();
  }
}

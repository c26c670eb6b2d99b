package dev.nudge.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data hostile requests aim at, made through the API as a client would: tenant A (whose key
 * sends most requests) with parties, a policy, trades in several states, a complaint, a disabled
 * webhook endpoint, a party token and events; tenant B, whose ids A must never reach; tenant C,
 * whose spare API key the admin-path requests may revoke without harming the run.
 */
final class World {

  static final String ADMIN_KEY = "nk_admin_hostile_test_only_key_0123456789";

  /** Where webhook endpoints point: a closed port here, so no delivery leaves the machine. */
  static final String HOOK = "http://127.0.0.1:9/hook";

  private static final ObjectMapper JSON = new ObjectMapper();

  final int port;
  final String keyA;
  final String keyB;
  final String partyToken;

  /** Valid values for each path parameter name, of tenant A (tenants: C). */
  final Map<String, List<String>> own = new LinkedHashMap<>();

  /** The same names with tenant B's values. */
  final Map<String, List<String>> other = new LinkedHashMap<>();

  final List<String> cursors;

  private final HttpClient http = HttpClient.newHttpClient();

  World(int port) throws Exception {
    this.port = port;
    keyA =
        post(ADMIN_KEY, "/v1/tenants", Map.of("name", "Hostile A", "mode", "test"))
            .get("apiKey")
            .asText();
    keyB =
        post(ADMIN_KEY, "/v1/tenants", Map.of("name", "Hostile B", "mode", "test"))
            .get("apiKey")
            .asText();
    String tenantC =
        post(ADMIN_KEY, "/v1/tenants", Map.of("name", "Hostile C", "mode", "live"))
            .get("id")
            .asText();
    String spareKey =
        post(ADMIN_KEY, "/v1/tenants/" + tenantC + "/api-keys", Map.of()).get("id").asText();

    String aki = party(keyA, "@aki", "ja", "Asia/Tokyo");
    String ben = party(keyA, "@ben", "en", "Europe/London");
    String policy =
        post(
                keyA,
                "/v1/cancellation-policies",
                Map.of("name", "Short", "maxReminders", 1, "replyWindow", "PT1H"))
            .get("id")
            .asText();
    String agreed = trade(keyA, aki, ben, policy);
    String awaiting = trade(keyA, aki, ben, policy);
    post(
        keyA,
        "/v1/trades/" + awaiting + "/actions",
        Map.of("type", "request_reply", "partyId", aki));
    String complaint =
        post(
                keyA,
                "/v1/complaints",
                Map.of(
                    "customer", Map.of("handle", "@mina", "displayName", "Mina"),
                    "channel", "x_post",
                    "subject", "Parcel late",
                    "category", "delivery",
                    "severity", "high"))
            .get("id")
            .asText();
    JsonNode endpoint =
        post(keyA, "/v1/webhook-endpoints", Map.of("url", World.HOOK, "eventTypes", List.of("*")));
    String endpointId = endpoint.get("id").asText();
    send("PATCH", keyA, "/v1/webhook-endpoints/" + endpointId, Map.of("status", "disabled"));
    JsonNode token = post(keyA, "/v1/parties/" + aki + "/tokens", Map.of());
    partyToken = token.get("token").asText();
    JsonNode events = get(keyA, "/v1/events?limit=1");
    String event = events.at("/data/0/id").asText();
    cursors =
        List.of(
            events.get("nextCursor").asText(),
            get(keyA, "/v1/parties?limit=1").get("nextCursor").asText());

    String bParty = party(keyB, "@bee", "en", "UTC");
    String bParty2 = party(keyB, "@bob", "en", "UTC");
    String bTrade = trade(keyB, bParty, bParty2, null);
    String bComplaint =
        post(
                keyB,
                "/v1/complaints",
                Map.of(
                    "customer", Map.of("handle", "@x", "displayName", "X"),
                    "channel", "x_post",
                    "subject", "B's case",
                    "category", "other",
                    "severity", "low"))
            .get("id")
            .asText();
    String bEndpoint =
        post(keyB, "/v1/webhook-endpoints", Map.of("url", World.HOOK, "eventTypes", List.of("*")))
            .get("id")
            .asText();
    send("PATCH", keyB, "/v1/webhook-endpoints/" + bEndpoint, Map.of("status", "disabled"));
    String bToken = post(keyB, "/v1/parties/" + bParty + "/tokens", Map.of()).get("id").asText();
    String bPolicy =
        post(keyB, "/v1/cancellation-policies", Map.of("name", "B")).get("id").asText();
    String bEvent = get(keyB, "/v1/events?limit=1").at("/data/0/id").asText();

    own.put("partyId", List.of(aki, ben));
    own.put("tradeId", List.of(agreed, awaiting));
    own.put("policyId", List.of(policy));
    own.put("complaintId", List.of(complaint));
    own.put("endpointId", List.of(endpointId));
    own.put("eventId", List.of(event));
    own.put("tokenId", List.of(token.get("id").asText()));
    own.put("tenantId", List.of(tenantC));
    own.put("keyId", List.of(spareKey));
    own.put("locale", List.of("en", "ja"));
    own.put("tone", List.of("gentle", "firm", "final"));
    own.put("severity", List.of("low", "normal", "high", "critical"));
    own.put("name", List.of("trade", "complaint"));
    other.put("partyId", List.of(bParty));
    other.put("tradeId", List.of(bTrade));
    other.put("policyId", List.of(bPolicy));
    other.put("complaintId", List.of(bComplaint));
    other.put("endpointId", List.of(bEndpoint));
    other.put("eventId", List.of(bEvent));
    other.put("tokenId", List.of(bToken));
  }

  private String party(String key, String handle, String locale, String zone) throws Exception {
    return post(
            key,
            "/v1/parties",
            Map.of(
                "handle", handle,
                "displayName", handle.substring(1),
                "locale", locale,
                "timeZone", zone,
                "channels", List.of(Map.of("type", "x_dm", "address", handle))))
        .get("id")
        .asText();
  }

  private String trade(String key, String a, String b, String policy) throws Exception {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", "Card swap");
    body.put("initiatorId", a);
    body.put("counterpartyId", b);
    body.put("items", List.of(Map.of("from", "initiator", "description", "Card A")));
    if (policy != null) {
      body.put("policyId", policy);
    }
    return post(key, "/v1/trades", body).get("id").asText();
  }

  JsonNode get(String key, String path) throws Exception {
    return send("GET", key, path, null);
  }

  JsonNode post(String key, String path, Object body) throws Exception {
    return send("POST", key, path, body);
  }

  private JsonNode send(String method, String key, String path, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}

package dev.nudge.party;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nudge.support.Fixtures;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Party tokens over every endpoint of the contract (SPEC §5): the own party's token reaches its
 * party, its trades, their history and reminders, its reminder feeds and its events, and acts on
 * its trades as itself; everything else is a 403. Another party's token and a revoked one get
 * nothing.
 */
@QuarkusTest
class PartyTokenAccessTest {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What the own party's token may reach (method and contract path). */
  private static final Set<String> OWN_PARTY =
      Set.of(
          "GET /v1/parties/{partyId}",
          "GET /v1/parties/{partyId}/trades",
          "GET /v1/parties/{partyId}/reminders",
          "GET /v1/parties/{partyId}/reminders.ics",
          "GET /v1/trades",
          "GET /v1/trades/{tradeId}",
          "GET /v1/trades/{tradeId}/history",
          "GET /v1/trades/{tradeId}/reminders",
          "POST /v1/trades/{tradeId}/actions",
          "POST /v1/trades/{tradeId}/reminders",
          "GET /v1/events",
          "GET /v1/events/stream");

  @Test
  void tokensAreMintedListedAndRevokedWithoutShowingTheSecretAgain() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    JsonPath created = token(f.key, f.a, Map.of("expiresIn", "P7D"));
    String token = created.getString("token");
    assertThat(token).startsWith("nk_party_");
    assertThat(created.getString("expiresAt"))
        .isEqualTo(Fixtures.now(f.key).plus(Duration.ofDays(7)).toString());
    String list =
        as(f.key).get("/v1/parties/" + f.a + "/tokens").then().statusCode(200).extract().asString();
    assertThat(list).doesNotContain(token).contains(created.getString("id"));

    as(token).get("/v1/parties/" + f.a).then().statusCode(200).body("id", equalTo(f.a));
    as(f.key)
        .delete("/v1/parties/" + f.a + "/tokens/" + created.getString("id"))
        .then()
        .statusCode(204);
    as(token)
        .get("/v1/parties/" + f.a)
        .then()
        .statusCode(401)
        .body("type", equalTo("https://nudge.dev/problems/unauthorized"));
    as(token).get("/v1/parties/" + f.a + "/tokens").then().statusCode(401);
    as(f.key)
        .body(Map.of("expiresIn", "P2Y"))
        .post("/v1/parties/" + f.a + "/tokens")
        .then()
        .statusCode(400);
  }

  @Test
  void aTokenExpiresOnItsTenantsClock() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String token = token(f.key, f.a, Map.of("expiresIn", "PT1H")).getString("token");
    as(token).get("/v1/parties/" + f.a).then().statusCode(200);
    Fixtures.advance(f.key, "PT1H");
    as(token).get("/v1/parties/" + f.a).then().statusCode(401);
  }

  @Test
  void aTokenActsOnlyAsItsOwnParty() {
    TradeFixtures f = new TradeFixtures(newTenant("test"));
    String trade = f.trade();
    String token = token(f.key, f.a, Map.of()).getString("token");
    as(token)
        .body(Map.of("type", "request_reply", "partyId", f.b))
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(403);
    as(token)
        .body(Map.of("type", "request_reply", "partyId", f.a))
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(200)
        .body("state", equalTo("awaiting_reply"));
    as(token).get("/v1/trades").then().statusCode(200).body("data.id", equalTo(List.of(trade)));
  }

  @Test
  void everyEndpointAnswersEachCredentialAsTheSpecSays() throws Exception {
    String key = newTenant("test");
    TradeFixtures f = new TradeFixtures(key);
    String trade = f.trade();
    String carol = TradeFixtures.party(key, "@carol", "en", "UTC");
    String own = token(key, f.a, Map.of()).getString("token");
    String others = token(key, carol, Map.of()).getString("token");
    JsonPath revokedToken = token(key, f.a, Map.of());
    as(key)
        .delete("/v1/parties/" + f.a + "/tokens/" + revokedToken.getString("id"))
        .then()
        .statusCode(204);
    String complaint = Fixtures.aComplaint(key).open();
    String endpoint =
        as(key)
            .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    String event = as(key).get("/v1/events").then().statusCode(200).extract().path("data[0].id");
    Map<String, String> ids =
        Map.ofEntries(
            Map.entry("partyId", f.a),
            Map.entry("tradeId", trade),
            Map.entry("complaintId", complaint),
            Map.entry("endpointId", endpoint),
            Map.entry("eventId", event),
            Map.entry("tokenId", revokedToken.getString("id")),
            Map.entry("tenantId", "ten_any"),
            Map.entry("keyId", "key_any"),
            Map.entry("locale", "en"),
            Map.entry("tone", "gentle"),
            Map.entry("severity", "high"),
            Map.entry("name", "trade"),
            Map.entry("policyId", f.policy(Map.of())),
            Map.entry("id", trade));

    List<String> wrong = new ArrayList<>();
    JsonNode paths =
        new ObjectMapper(new YAMLFactory()).readTree(new File("openapi/openapi.yaml")).get("paths");
    Iterator<String> names = paths.fieldNames();
    int checked = 0;
    while (names.hasNext()) {
      String path = names.next();
      if (!path.startsWith("/v1/")) {
        continue;
      }
      String concrete = path;
      for (var id : ids.entrySet()) {
        concrete = concrete.replace("{" + id.getKey() + "}", id.getValue());
      }
      assertThat(concrete).as("every path parameter of %s has a value", path).doesNotContain("{");
      for (String method : List.of("get", "post", "put", "patch", "delete")) {
        if (!paths.get(path).has(method)) {
          continue;
        }
        String endpointName = method.toUpperCase() + " " + path;
        boolean tenantPath = path.startsWith("/v1/tenants");
        checked++;
        expect(wrong, endpointName, send(method, concrete, null), Set.of(401));
        expect(
            wrong,
            endpointName + " (revoked token)",
            send(method, concrete, revokedToken.getString("token")),
            Set.of(401));
        int tenant = send(method, concrete, key);
        if (tenantPath ? tenant != 403 : tenant == 401 || tenant == 403) {
          wrong.add(endpointName + " (tenant key): " + tenant);
        }
        int mine = send(method, concrete, own);
        if (OWN_PARTY.contains(endpointName) ? mine == 401 || mine == 403 : mine != 403) {
          wrong.add(endpointName + " (own party token): " + mine);
        }
        int theirs = send(method, concrete, others);
        boolean openToAnyParty =
            Set.of("GET /v1/trades", "GET /v1/events", "GET /v1/events/stream")
                .contains(endpointName);
        if (openToAnyParty ? theirs == 401 || theirs == 403 : theirs != 403) {
          wrong.add(endpointName + " (another party's token): " + theirs);
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
    assertThat(wrong).isEmpty();
  }

  private static void expect(List<String> wrong, String what, int status, Set<Integer> allowed) {
    if (!allowed.contains(status)) {
      wrong.add(what + ": " + status);
    }
  }

  /** One request; reads only the status (the event stream never ends). */
  private static int send(String method, String path, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method.toUpperCase(),
                method.equals("get") || method.equals("delete")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }

  private static JsonPath token(String key, String partyId, Map<String, Object> body) {
    return as(key)
        .body(body)
        .post("/v1/parties/" + partyId + "/tokens")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }
}

package dev.nudge.party;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.nudge.support.Contract;
import dev.nudge.support.EveryResource;
import dev.nudge.support.Fixtures;
import dev.nudge.support.RawHttp;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
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
  void everyEndpointAnswersEachCredentialAsTheSpecSays() {
    EveryResource world = EveryResource.create();
    String key = world.key;
    String carol = TradeFixtures.party(key, "@carol", "en", "UTC");
    String own = world.token.getString("token");
    String others = token(key, carol, Map.of()).getString("token");
    JsonPath revokedToken = token(key, world.partyA, Map.of());
    as(key)
        .delete("/v1/parties/" + world.partyA + "/tokens/" + revokedToken.getString("id"))
        .then()
        .statusCode(204);

    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Contract.Operation op : Contract.operations()) {
      String endpointName = op.name();
      String concrete = op.concrete(world.ids());
      checked++;
      expect(wrong, endpointName, send(op, concrete, null), Set.of(401));
      expect(
          wrong,
          endpointName + " (revoked token)",
          send(op, concrete, revokedToken.getString("token")),
          Set.of(401));
      int mine = send(op, concrete, own);
      if (OWN_PARTY.contains(endpointName) ? mine == 401 || mine == 403 : mine != 403) {
        wrong.add(endpointName + " (own party token): " + mine);
      }
      int theirs = send(op, concrete, others);
      boolean openToAnyParty =
          Set.of("GET /v1/trades", "GET /v1/events", "GET /v1/events/stream")
              .contains(endpointName);
      if (openToAnyParty ? theirs == 401 || theirs == 403 : theirs != 403) {
        wrong.add(endpointName + " (another party's token): " + theirs);
      }
    }
    // The tenant key last: its calls act (a DELETE revokes the own token, removes the endpoint),
    // which must not change what the tokens above were answered.
    for (Contract.Operation op : Contract.operations()) {
      int tenant = send(op, op.concrete(world.ids()), key);
      if (op.tenantManagement() ? tenant != 403 : tenant == 401 || tenant == 403) {
        wrong.add(op.name() + " (tenant key): " + tenant);
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
  private static int send(Contract.Operation op, String path, String key) {
    StringBuilder r = new StringBuilder();
    r.append(op.method()).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    if (key != null) {
      r.append("Authorization: Bearer ").append(key).append("\r\n");
    }
    if (op.takesBody()) {
      r.append("Content-Type: application/json\r\nContent-Length: 2\r\n");
    }
    r.append("Connection: close\r\n\r\n").append(op.takesBody() ? "{}" : "");
    return RawHttp.send(RestAssured.port, r.toString()).status();
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

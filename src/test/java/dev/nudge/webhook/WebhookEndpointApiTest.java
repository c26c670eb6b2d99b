package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookEndpointApiTest {

  private static Map<String, Object> endpoint(String url, List<String> types) {
    return Map.of("url", url, "eventTypes", types, "description", "orders app");
  }

  @Test
  void createShowsTheSecretOnceThenReadsWithout() {
    String key = newTenant("live");
    var created =
        as(key)
            .body(endpoint("http://127.0.0.1:9/hook", List.of("trade.*", "complaint.sla_breached")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .header("Location", org.hamcrest.Matchers.containsString("/v1/webhook-endpoints/we_"))
            .body("status", equalTo("enabled"))
            .body("eventTypes", equalTo(List.of("trade.*", "complaint.sla_breached")))
            .body("partyId", nullValue())
            .body("version", equalTo(1))
            .extract();
    String secret = created.path("secret");
    assertThat(secret, startsWith("whsec_"));
    assertThat(Base64.getDecoder().decode(secret.substring(6)).length, equalTo(32));
    String id = created.path("id");

    as(key)
        .get("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(200)
        .header("ETag", notNullValue())
        .body("secret", nullValue())
        .body("url", equalTo("http://127.0.0.1:9/hook"))
        .body("description", equalTo("orders app"));
    as(key)
        .get("/v1/webhook-endpoints")
        .then()
        .statusCode(200)
        .body("data.id", hasItem(id))
        .body("data[0].secret", nullValue());
  }

  @Test
  void invalidEndpointsAre400NamingEachField() {
    String key = newTenant("live");
    as(key)
        .body(Map.of("url", "ftp://example.com/x", "eventTypes", List.of()))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("type", endsWith("/validation-failed"))
        .body("errors.field", hasItems("url", "eventTypes"));
    as(key)
        .body(Map.of("url", "/relative", "eventTypes", List.of("trade.exploded", "shop.*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("url", "eventTypes[0]", "eventTypes[1]"));
    as(key)
        .body(Map.of("url", "http://127.0.0.1/x", "eventTypes", List.of("*"), "colour", "red"))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("colour"));
    as(key)
        .body(Map.of("eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("url"));
    as(key)
        .body(endpoint("http://127.0.0.1:99999/x", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("url"));
    // A party of another tenant is refused, as is one that does not exist.
    String theirs = newTenant("live");
    String theirParty = dev.nudge.support.Api.newParty(theirs, "@theirs");
    for (String party : List.of(theirParty, "pty_nope")) {
      Map<String, Object> body =
          new java.util.HashMap<>(endpoint("http://127.0.0.1:9/x", List.of("*")));
      body.put("partyId", party);
      as(key)
          .body(body)
          .post("/v1/webhook-endpoints")
          .then()
          .statusCode(400)
          .body("errors.field", hasItem("partyId"));
    }
  }

  @Test
  void anotherTenantsEndpointIsNotFound() {
    String mine = newTenant("live");
    String theirs = newTenant("live");
    String id =
        as(mine)
            .body(endpoint("http://127.0.0.1:9/hook", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(theirs).get("/v1/webhook-endpoints/" + id).then().statusCode(404);
    as(theirs)
        .body(Map.of("description", "mine now"))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(404);
    as(theirs).delete("/v1/webhook-endpoints/" + id).then().statusCode(404);
    as(theirs).post("/v1/webhook-endpoints/" + id + "/rotate-secret").then().statusCode(404);
    as(theirs).get("/v1/webhook-endpoints/" + id + "/attempts").then().statusCode(404);
    as(theirs)
        .body(Map.of("since", "2020-01-01T00:00:00Z"))
        .post("/v1/webhook-endpoints/" + id + "/replay")
        .then()
        .statusCode(404);
    as(theirs)
        .get("/v1/webhook-endpoints")
        .then()
        .statusCode(200)
        .body("data.id", not(hasItem(id)));
    as(theirs).post("/v1/events/evt_nope/redeliver").then().statusCode(404);
  }

  @Test
  void patchChangesFieldsChecksIfMatchAndDeleteRemoves() {
    String key = newTenant("live");
    String party = dev.nudge.support.Api.newParty(key, "@hooked");
    String id =
        as(key)
            .body(endpoint("http://127.0.0.1:9/hook", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(key)
        .header("If-Match", "\"1\"")
        .body(
            Map.of(
                "eventTypes",
                List.of("complaint.*"),
                "partyId",
                party,
                "status",
                "disabled",
                "url",
                "http://127.0.0.1:10/other"))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(200)
        .header("ETag", equalTo("\"2\""))
        .body("eventTypes", equalTo(List.of("complaint.*")))
        .body("partyId", equalTo(party))
        .body("status", equalTo("disabled"))
        .body("disabledReason", equalTo("manual"))
        .body("url", equalTo("http://127.0.0.1:10/other"))
        .body("version", equalTo(2));
    as(key)
        .header("If-Match", "\"1\"")
        .body(Map.of("status", "enabled"))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(412)
        .body("type", endsWith("/version-conflict"));
    as(key)
        .body("{\"status\": \"enabled\", \"partyId\": null}")
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(200)
        .body("status", equalTo("enabled"))
        .body("disabledReason", nullValue())
        .body("partyId", nullValue());
    as(key)
        .body(Map.of("eventTypes", List.of(), "secret", "x"))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("secret"));
    as(key)
        .body(Map.of("eventTypes", List.of()))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("eventTypes"));

    as(key).delete("/v1/webhook-endpoints/" + id).then().statusCode(204);
    as(key).get("/v1/webhook-endpoints/" + id).then().statusCode(404);
  }

  @Test
  void rotateIssuesANewSecretAndKeepsTheOldOneSigningForADay() {
    String key = newTenant("live");
    var created =
        as(key)
            .body(endpoint("http://127.0.0.1:9/hook", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract();
    String id = created.path("id");
    var rotated =
        as(key)
            .post("/v1/webhook-endpoints/" + id + "/rotate-secret")
            .then()
            .statusCode(200)
            .body("previousSecretExpiresAt", notNullValue())
            .extract();
    assertThat(rotated.path("secret"), startsWith("whsec_"));
    assertThat(rotated.path("secret"), not(equalTo(created.path("secret"))));
    as(key)
        .get("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(200)
        .body("secret", nullValue())
        .body("previousSecretExpiresAt", notNullValue());
  }
}

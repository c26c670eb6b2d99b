package dev.nudge.common;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input rules of SPEC §2: JSON values of the wrong type are refused, never coerced; query
 * parameters an endpoint does not define are refused; durations take weeks but not months or years.
 * Each refusal is a {@code validation-failed} problem naming the field, and changes nothing.
 */
@QuarkusTest
class StrictInputApiTest {

  private static final String PROBLEM = "application/problem+json";

  private static ValidatableResponse refused(ValidatableResponse r, String field, String message) {
    return r.statusCode(400)
        .contentType(PROBLEM)
        .body("type", endsWith("/validation-failed"))
        .body("errors", hasSize(1))
        .body("errors[0].field", equalTo(field))
        .body("errors[0].message", containsString(message));
  }

  @Test
  void aNumberAsTextIsNotANumber() {
    String key = newTenant("test");
    refused(
        as(key)
            .body("{\"name\": \"Strict\", \"maxReminders\": \"2\"}")
            .post("/v1/cancellation-policies")
            .then(),
        "maxReminders",
        "must be an integer");
    as(key).get("/v1/cancellation-policies").then().statusCode(200).body("data", hasSize(0));
  }

  @Test
  void aNumberIsNotText() {
    String key = newTenant("test");
    refused(
        as(key)
            .body("{\"handle\": 123, \"displayName\": \"Aki\", \"locale\": \"en\"}")
            .post("/v1/parties")
            .then(),
        "handle",
        "must be a string");
    refused(
        as(key)
            .body("{\"handle\": \"@aki\", \"displayName\": true, \"locale\": \"en\"}")
            .post("/v1/parties")
            .then(),
        "displayName",
        "must be a string");
    refused(
        admin().body("{\"name\": \"Shop\", \"mode\": 1}").post("/v1/tenants").then(),
        "mode",
        "must be a string");
    as(key).get("/v1/parties").then().statusCode(200).body("data", hasSize(0));
  }

  @Test
  void nestedValuesAndListItemsAreCheckedToo() {
    String key = newTenant("test");
    refused(
        as(key)
            .body("{\"name\": \"P\", \"onSilence\": {\"reply\": 1}}") // an enum given as a number
            .post("/v1/cancellation-policies")
            .then(),
        "onSilence.reply",
        "must be a string");
    refused(
        as(key)
            .body("{\"url\": \"http://127.0.0.1:9/h\", \"eventTypes\": [\"trade.*\", 7]}")
            .post("/v1/webhook-endpoints")
            .then(),
        "eventTypes[1]",
        "must be a string");
  }

  @Test
  void booleansAreTrueOrFalseOnly() {
    String key = newTenant("test");
    String complaint = Fixtures.aComplaint(key).open();
    Fixtures.respond(key, complaint, "Thank you for telling us; we are checking the parcel.");
    Fixtures.actOnComplaint(key, complaint, Map.of("type", "resolve"));
    for (String satisfied : List.of("\"true\"", "1", "\"yes\"")) {
      refused(
          as(key)
              .body("{\"type\": \"record_follow_up\", \"satisfied\": " + satisfied + "}")
              .post("/v1/complaints/" + complaint + "/actions")
              .then(),
          "satisfied",
          "must be true or false");
    }
    as(key).get("/v1/complaints/" + complaint).then().body("state", equalTo("resolved"));
  }

  @Test
  void timestampsAreRfc3339TextNotEpochNumbers() {
    String key = newTenant("test");
    String endpoint =
        as(key)
            .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    refused(
        as(key)
            .body("{\"since\": 1700000000}")
            .post("/v1/webhook-endpoints/" + endpoint + "/replay")
            .then(),
        "since",
        "RFC 3339");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\\u0000b", "\\ud800", "x\\udc00y"})
  void textThatCannotBeStoredAsSentIsRefusedNamingTheField(String escaped) {
    String key = newTenant("test");
    refused(
        as(key)
            .body(
                "{\"handle\": \"@aki\", \"displayName\": \"" + escaped + "\", \"locale\": \"en\"}")
            .post("/v1/parties")
            .then(),
        "displayName",
        escaped.contains("u0000") ? "NUL" : "lone surrogate");
    as(key).get("/v1/parties").then().body("data", hasSize(0));
  }

  @Test
  void emojiAndBidiMarksAreKeptExactly() {
    String key = newTenant("test");
    String name = "Aki \uD83C\uDF38 \u200F\u05D0\u05D1\u200E \u00E9";
    String id = Fixtures.aParty(key).displayName(name).create();
    as(key).get("/v1/parties/" + id).then().body("displayName", equalTo(name));
  }

  @Test
  void queryParametersAnEndpointDoesNotTakeAreRefused() {
    String key = newTenant("test");
    refused(as(key).queryParam("cursor", "abc").get("/v1/events").then(), "cursor", "after, limit");
    refused(as(key).queryParam("colour", "red").get("/v1/clock").then(), "colour", "takes none");
    refused(
        as(key).queryParam("limit", "1").queryParam("limit", "2").get("/v1/parties").then(),
        "limit",
        "more than once");
    as(key).queryParam("limit", "1").get("/v1/parties").then().statusCode(200);
  }

  @Test
  void aTokenInTheQueryIsOnlyForTheStreamAndTheCalendar() {
    String key = newTenant("test");
    String party = Fixtures.party(key);
    refused(as(key).queryParam("token", "x").get("/v1/trades").then(), "token", "not a query");
    as(key)
        .queryParam("token", "x")
        .get("/v1/parties/" + party + "/reminders.ics")
        .then()
        .statusCode(200);
  }

  @ParameterizedTest
  @CsvSource({"P1W,P7D", "P2W,P14D", "P1W2D,P9D", "PT1S,PT1S", "p3d,P3D", "P1DT12H,P1DT12H"})
  void durationsTakeWeeksAndSeconds(String given, String shown) {
    String key = newTenant("test");
    as(key)
        .body(Map.of("name", "Weekly", "replyWindow", given))
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(201)
        .body("replyWindow", equalTo(shown));
  }

  @ParameterizedTest
  @ValueSource(strings = {"P1M", "P1Y", "P1Y2M", "p2m", "P1MT1H"})
  void monthsAndYearsAreRefusedSayingWhy(String given) {
    String key = newTenant("test");
    refused(
        as(key)
            .body(Map.of("name", "Monthly", "replyWindow", given))
            .post("/v1/cancellation-policies")
            .then(),
        "replyWindow",
        "months and years have no fixed length");
    refused(
        as(key).body(Map.of("by", given)).post("/v1/clock/advance").then(),
        "by",
        "months and years have no fixed length");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0S", "-P1D", "PT-1H", "P", "PT", "1D", "P1.5D", "P1D ", "PT1H1"})
  void otherBadDurationsAreRefused(String given) {
    String key = newTenant("test");
    as(key)
        .body(Map.of("name", "Bad", "replyWindow", given))
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("replyWindow"));
  }

  @Test
  void oneSecondIsTheShortestDurationEverywhere() {
    String key = newTenant("test");
    String party = Fixtures.party(key);
    as(key)
        .body(Map.of("expiresIn", "PT1S"))
        .post("/v1/parties/" + party + "/tokens")
        .then()
        .statusCode(201);
    as(key).body(Map.of("by", "PT1S")).post("/v1/clock/advance").then().statusCode(200);
    as(key)
        .body(
            Map.of(
                "firstResponseTarget", "PT1S",
                "firstResponseDeadline", "PT2S",
                "followUpAfter", "P1W"))
        .put("/v1/sla-policies/high")
        .then()
        .statusCode(200)
        .body("followUpAfter", equalTo("P7D"));
  }

  @Test
  void aRefusedRequestWithAnIdempotencyKeyLeavesTheKeyFree() {
    String key = newTenant("test");
    String idem = "idem-" + System.nanoTime();
    as(key)
        .header("Idempotency-Key", idem)
        .body(Map.of("name", "P", "replyWindow", "P1M"))
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(400);
    assertThat(
            as(key)
                .header("Idempotency-Key", idem)
                .body(Map.of("name", "P", "replyWindow", "P30D"))
                .post("/v1/cancellation-policies")
                .then()
                .statusCode(201)
                .extract()
                .header("Idempotent-Replayed"))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"utf-32", "utf-16", "latin-1", "nul"})
  void aBodyThatIsNotUtf8TextIsRefused(String encoding) {
    String key = newTenant("test");
    String json = "{\"handle\": \"@aki\", \"displayName\": \"Ren\u00e9\", \"locale\": \"en\"}";
    byte[] body =
        switch (encoding) {
          // Three NUL bytes before the text: a JSON reader would guess UTF-32 and fail inside.
          case "utf-32" -> concat(new byte[] {0, 0, 0}, json.getBytes(StandardCharsets.UTF_8));
          case "utf-16" -> json.getBytes(StandardCharsets.UTF_16);
          case "latin-1" -> json.getBytes(StandardCharsets.ISO_8859_1);
          default -> json.replace("Ren", "Re\u0000n").getBytes(StandardCharsets.UTF_8);
        };
    refused(
        as(key).contentType("application/json").body(body).post("/v1/parties").then(),
        "body",
        "must be JSON text in UTF-8");
    as(key).get("/v1/parties").then().statusCode(200).body("data", hasSize(0));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"quietHours\": {\"start\": \"22:00\", \"end\": \"08:00\", \"x\": 1}}"
            + " | quietHours.x | is not a known field",
        "{\"quietHours\": {\"start\": 2200, \"end\": \"08:00\"}} | quietHours.start | must be a"
            + " string",
        "{\"quietHours\": [\"22:00\"]} | quietHours | must be an object",
        "{\"channels\": [[\"x_dm\"]]} | channels[0] | must be an object",
        "{\"channels\": [\"x\"]} | channels[0] | must be an object",
        "{\"channels\": {\"type\": \"x_dm\"}} | channels | must be an array",
        "{\"displayName\": 4716707788411633484} | displayName | must be a string",
        "{\"timeZone\": false} | timeZone | must be a string",
        "{\"channels\": [{\"type\": \"x_dm\", \"address\": \"\\ud800\"}]}"
            + " | channels[0].address | lone surrogate"
      })
  void aPartyPatchOfTheWrongShapeNamesTheField(String patch, String field, String message) {
    String key = newTenant("test");
    String party = Fixtures.party(key);
    String before = as(key).get("/v1/parties/" + party).then().extract().asString();
    refused(
        as(key)
            .contentType("application/merge-patch+json")
            .body(patch)
            .patch("/v1/parties/" + party)
            .then(),
        field,
        message);
    assertThat(as(key).get("/v1/parties/" + party).then().extract().asString()).isEqualTo(before);
  }

  /**
   * A compressed body would be read as garbage: bodies are read as sent, so any Content-Encoding
   * but identity is a 415 that says so with {@code Accept-Encoding: identity} (RFC 7694).
   */
  @Test
  void aCompressedBodyIs415AndIdentityIsRead() throws java.io.IOException {
    String key = newTenant("test");
    String handle = "@gz" + System.nanoTime();
    byte[] json =
        ("{\"handle\": \""
                + handle
                + "\", \"displayName\": \"Gz\", \"locale\": \"en\", \"timeZone\": \"UTC\"}")
            .getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(zipped)) {
      gzip.write(json);
    }
    for (String coding : List.of("gzip", "br", "identity, gzip", "x-custom")) {
      as(key)
          .header("Content-Encoding", coding)
          .body(zipped.toByteArray())
          .post("/v1/parties")
          .then()
          .statusCode(415)
          .contentType(PROBLEM)
          .header("Accept-Encoding", "identity")
          .body("type", endsWith("/unsupported-media-type"))
          .body("detail", containsString("Content-Encoding"));
    }
    as(key).queryParam("handle", handle).get("/v1/parties").then().body("data", hasSize(0));
    as(key)
        .header("Content-Encoding", "identity")
        .body(json)
        .post("/v1/parties")
        .then()
        .statusCode(201)
        .body("handle", equalTo(handle));
  }
}

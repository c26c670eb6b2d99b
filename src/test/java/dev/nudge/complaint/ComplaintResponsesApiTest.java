package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aComplaint;
import static dev.nudge.support.Fixtures.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Responses and their quality warnings over HTTP, in Japanese and English. */
@QuarkusTest
class ComplaintResponsesApiTest {

  @Test
  void aFirstPublicResponseWithAPhoneNumberAndNoThanksDrawsBothWarnings() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    JsonPath r = respond(key, id, "Call 090-1234-5678.");
    assertThat(r.getList("warnings.code", String.class))
        .containsExactlyInAnyOrder("personal_data_in_public", "no_acknowledgement");
    assertThat(r.getList("response.warnings.code", String.class)).hasSize(2);
    assertThat(r.getString("response.visibility")).isEqualTo("public");
    assertThat(r.getString("complaint.state")).isEqualTo("acknowledged");
    as(key)
        .get("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(200)
        .body("data[0].body", equalTo("Call 090-1234-5678."))
        .body("data[0].warnings.code", hasItems("personal_data_in_public"));
  }

  @Test
  void aNumberTypedInFullWidthOnAJapaneseKeyboardWarnsInPublicOnly() {
    String key = newTenant("test");
    String body = "ご連絡ありがとうございます。お急ぎの場合は ０９０ー１２３４ー５６７８ までお電話ください。";
    assertThat(respond(key, aComplaint(key).open(), body).getList("warnings.code", String.class))
        .containsExactly("personal_data_in_public");
    JsonPath privately =
        as(key)
            .body(Map.of("author", "Sato", "visibility", "private", "body", body))
            .post("/v1/complaints/" + aComplaint(key).open() + "/responses")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(privately.getList("warnings")).isEmpty();
  }

  @Test
  void goodAnswersInBothLanguagesAreClean() {
    String key = newTenant("test");
    for (String body :
        List.of(
            "ご連絡ありがとうございます。お手数ですが、ご住所をDMでお送りください。",
            "Thank you for letting us know — we will reply by DM.")) {
      String id = aComplaint(key).open();
      assertThat(respond(key, id, body).getList("warnings")).as(body).isEmpty();
    }
    String id = aComplaint(key).open();
    JsonPath r =
        as(key)
            .body(
                Map.of(
                    "author",
                    "Sato",
                    "visibility",
                    "private",
                    "body",
                    "Thanks! Call 03-1234-5678."))
            .post("/v1/complaints/" + id + "/responses")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(r.getList("warnings")).as("a phone number in a private response").isEmpty();
  }

  @Test
  void strictTurnsWarningsIntoA422AndRecordsNothing() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    as(key)
        .queryParam("strict", "true")
        .body(Map.of("author", "Sato", "body", "ご住所と電話番号をこちらに返信で教えてください。"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(422)
        .body("type", equalTo("https://nudge.dev/problems/unprocessable"))
        .body("warnings.code", hasItems("personal_data_in_public", "no_acknowledgement"));
    as(key).get("/v1/complaints/" + id + "/responses").then().body("data.size()", equalTo(0));
    as(key)
        .get("/v1/complaints/" + id)
        .then()
        .body("state", equalTo("open"))
        .body("version", equalTo(1));
    as(key)
        .queryParam("strict", "true")
        .body(Map.of("author", "Sato", "body", "申し訳ございません。DMにて詳細をお送りください。"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(201);
  }

  @Test
  void theSameTextOnThreeOtherCasesIsCopyPaste() {
    String key = newTenant("test");
    String text = "Thank you for your patience, we are looking into it.";
    for (int i = 0; i < 3; i++) {
      assertThat(respond(key, aComplaint(key).open(), text).getList("warnings")).isEmpty();
    }
    String fourth = aComplaint(key).open();
    assertThat(
            respond(key, fourth, "  THANK you for your patience,\n we are looking into it. ")
                .getList("warnings.code", String.class))
        .containsExactly("copy_paste");
    String other = newTenant("test");
    assertThat(respond(other, aComplaint(other).open(), text).getList("warnings"))
        .as("other tenants' texts do not count")
        .isEmpty();
  }

  @Test
  void anEmptyVisibilityIsRefusedNotStored() {
    // Found by HostileInputIT: "" passed the check for an optional field and was stored.
    String key = newTenant("test");
    String id = aComplaint(key).open();
    as(key)
        .body(Map.of("author", "Sato", "visibility", "", "body", "Sorry for the wait"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("visibility"));
    as(key)
        .get("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(200)
        .body("data", org.hamcrest.Matchers.empty());
    var opened = new java.util.HashMap<String, Object>();
    opened.put("customer", Map.of("handle", "@mina_fan"));
    opened.put("channel", "x_post");
    opened.put("subject", "Late");
    opened.put("category", "delivery");
    opened.put("severity", "normal");
    opened.put("visibility", "");
    as(key)
        .body(opened)
        .post("/v1/complaints")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("visibility"));
  }

  @Test
  void responseBodiesAreValidated() {
    String key = newTenant("test");
    String id = aComplaint(key).open();
    as(key)
        .body(Map.of("author", "", "body", "", "visibility", "shouted"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("author", "body", "visibility"));
    as(key)
        .queryParam("strict", "perhaps")
        .body(Map.of("author", "a", "body", "b"))
        .post("/v1/complaints/" + id + "/responses")
        .then()
        .statusCode(400);
    as(key)
        .body(Map.of("body", "hello", "at", "2999-01-01T00:00:00Z"))
        .post("/v1/complaints/" + id + "/messages")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("at"));
  }
}

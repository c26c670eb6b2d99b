package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.nudge.support.ProductionLikeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With the production default (no private targets), internal URLs are refused at creation. */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class PrivateTargetsRefusedTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://192.168.1.20:3000/hook"
      })
  void internalTargetsAre400(String url) {
    String key = newTenant("live");
    as(key)
        .body(Map.of("url", url, "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("type", endsWith("/validation-failed"))
        .body("errors[0].field", equalTo("url"))
        .body("errors[0].message", containsString("NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/hook", "http://10.0.0.1/hook"})
  void internalTargetsCannotBePatchedIn(String url) {
    String key = newTenant("live");
    // A public literal passes the guard at creation; nothing is sent to it in this test.
    String id =
        as(key)
            .body(Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    as(key)
        .body(Map.of("url", url))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("url"));
  }
}

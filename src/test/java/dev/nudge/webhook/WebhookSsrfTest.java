package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.nudge.support.Fixtures;
import dev.nudge.support.ProductionLikeProfile;
import dev.nudge.support.Receiver;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server-side request forgery through webhooks, with the production setting (no private targets):
 * every spelling of an internal address is refused when an endpoint is created or changed, and an
 * address that turns internal later (DNS rebinding) is refused when the delivery connects.
 */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class WebhookSsrfTest {

  @Inject AgroalDataSource db;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://192.168.1.20:3000/hook",
        "http://localhost:8080/hook",
        "https://[::1]/hook",
        "http://169.254.169.254/latest/meta-data"
      })
  void privateTargetsAreRefusedWithTheSettingThatAllowsThem(String url) {
    refusedAtCreation(newTenant("live"), url)
        .body("errors[0].message", containsString("NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://2130706433/hook",
        "http://0177.0.0.1/hook",
        "http://0x7f.1/hook",
        "http://0x7f000001/hook",
        "http://127.1/hook",
        "http://127.0.0.1./hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:7f00:1]/hook",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/hook",
        "http://[::]/hook",
        "http://[::1]:8080/hook",
        "http://0.0.0.0/hook",
        "http://0/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://LOCALHOST/hook",
        "http://localhost:9000/q/metrics"
      })
  void internalTargetsInAnySpellingAreRefused(String url) {
    String key = newTenant("live");
    refusedAtCreation(key, url);
    as(key).get("/v1/webhook-endpoints").then().body("data", org.hamcrest.Matchers.empty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/hook", "http://10.0.0.1/hook", "http://0x7f.1/hook"})
  void internalTargetsCannotBePatchedIn(String url) {
    String key = newTenant("live");
    // A public literal passes the guard at creation; nothing is sent to it in this test.
    String id = aPublicEndpoint(key);
    as(key)
        .body(Map.of("url", url))
        .patch("/v1/webhook-endpoints/" + id)
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("url"));
    as(key)
        .get("/v1/webhook-endpoints/" + id)
        .then()
        .body("url", equalTo("https://93.184.216.34/hook"));
  }

  @Test
  void aNameThatResolvesToAPrivateAddressIsRefused() throws Exception {
    String host = InetAddress.getLocalHost().getHostName();
    Assumptions.assumeFalse(
        AddressGuard.isPublic(InetAddress.getByName(host)), "this machine's name is public");
    String key = newTenant("live");
    as(key)
        .body(Map.of("url", "https://" + host + "/hook", "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("url"))
        .body("errors[0].message", containsString("not public"));
  }

  @Test
  void anAddressThatTurnsInternalAfterCreationIsRefusedWhenDelivering() throws Exception {
    try (Receiver internal = new Receiver()) {
      String key = newTenant("test");
      // A public literal passes at creation; then the row points inside, as a DNS name whose
      // answer changed would. Nothing was sent before the change: the tenant had no events.
      String endpoint = aPublicEndpoint(key);
      new Sql(db).run("update webhook_endpoint set url = ? where id = ?", internal.url(), endpoint);
      Fixtures.party(key);
      Fixtures.aComplaint(key).open();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  as(key)
                      .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
                      .then()
                      .statusCode(200)
                      .body("data[0].error", containsString("not public")));
      assertThat(internal.requests()).as("requests that reached the internal address").isEmpty();
    }
  }

  private static String aPublicEndpoint(String key) {
    return as(key)
        .body(Map.of("url", "https://93.184.216.34/hook", "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Creating an endpoint for {@code url} is a 400 that names the URL. */
  private static ValidatableResponse refusedAtCreation(String key, String url) {
    return as(key)
        .body(Map.of("url", url, "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(400)
        .body("type", endsWith("/validation-failed"))
        .body("errors[0].field", equalTo("url"));
  }
}

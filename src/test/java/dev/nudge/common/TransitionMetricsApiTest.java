package dev.nudge.common;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Fixtures;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code nudge_transitions_total{machine,from,to}} counts what the parties and the support team do,
 * not only what the timers do.
 */
@QuarkusTest
class TransitionMetricsApiTest {

  private static final String AGREED_TO_AWAITING =
      "nudge_transitions_total{from=\"agreed\",machine=\"trade\",to=\"awaiting_reply\"}";
  private static final String AWAITING_TO_AGREED =
      "nudge_transitions_total{from=\"awaiting_reply\",machine=\"trade\",to=\"agreed\"}";
  private static final String AWAITING_TO_COMPLETED =
      "nudge_transitions_total{from=\"awaiting_reply\",machine=\"trade\",to=\"completed\"}";
  private static final String OPEN_TO_ACKNOWLEDGED =
      "nudge_transitions_total{from=\"open\",machine=\"complaint\",to=\"acknowledged\"}";

  @Test
  void usersActionsAreCountedByMachineAndStates() {
    TradeFixtures f = new TradeFixtures(Fixtures.tenant("test"));
    String metrics = metrics();
    double requested = counter(metrics, AGREED_TO_AWAITING);
    double answered = counter(metrics, AWAITING_TO_AGREED);
    double completed = counter(metrics, AWAITING_TO_COMPLETED);
    double acknowledged = counter(metrics, OPEN_TO_ACKNOWLEDGED);

    String trade = f.trade();
    f.act(trade, "request_reply", f.a).statusCode(200);
    f.act(trade, "reply", f.b).statusCode(200);
    f.act(trade, "request_reply", f.b).statusCode(200);
    f.act(trade, "reply", f.a).statusCode(200);
    f.act(trade, "confirm_completion", f.a).statusCode(200);
    f.act(trade, "confirm_completion", f.b).statusCode(200);
    // A refused action changes nothing and counts nothing.
    f.act(trade, "reply", f.a).statusCode(409);

    String complaint = Fixtures.aComplaint(f.key).open();
    as(f.key)
        .body(Map.of("author", "Sato", "body", "Thank you for telling us; we are on it."))
        .post("/v1/complaints/" + complaint + "/responses")
        .then()
        .statusCode(201);

    metrics = metrics();
    assertThat(counter(metrics, AGREED_TO_AWAITING) - requested).isEqualTo(3.0);
    assertThat(counter(metrics, AWAITING_TO_AGREED) - answered).isEqualTo(2.0);
    assertThat(counter(metrics, AWAITING_TO_COMPLETED) - completed).isEqualTo(1.0);
    assertThat(counter(metrics, OPEN_TO_ACKNOWLEDGED) - acknowledged).isEqualTo(1.0);
  }

  private static String metrics() {
    return RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** A sample's value; 0 for a counter not yet registered. */
  private static double counter(String metrics, String sample) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(sample + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(sample.length() + 1).trim()))
        .findFirst()
        .orElse(0);
  }
}

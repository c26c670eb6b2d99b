package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A receiver cannot bounce a delivery elsewhere: a redirect is a failed attempt and the place it
 * points to (here a second receiver that would answer 200) gets nothing, on any retry either.
 */
@QuarkusTest
class WebhookRedirectsTest {

  @Test
  void redirectsAreNotFollowed() {
    try (Receiver bouncer = new Receiver();
        Receiver target = new Receiver()) {
      for (int status : new int[] {301, 302, 303, 307, 308}) {
        bouncer.respond(r -> new Answer(status, Map.of("Location", target.url()), ""));
        String key = newTenant("test");
        String endpoint =
            as(key)
                .body(Map.of("url", bouncer.url(), "eventTypes", List.of("*")))
                .post("/v1/webhook-endpoints")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Fixtures.aComplaint(key).open();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    as(key)
                        .get("/v1/webhook-endpoints/" + endpoint + "/attempts")
                        .then()
                        .body("data[0].httpStatus", equalTo(status))
                        .body("data[0].error", equalTo("redirect not followed")));
      }
      // Each tenant's one event reached the bouncer (a redirect is a failed attempt, so it is
      // retried: count events, not attempts).
      assertThat(bouncer.requests().stream().map(r -> r.headers().get("webhook-id")).distinct())
          .hasSize(5);
      assertThat(target.requests()).as("requests that followed a redirect").isEmpty();
    }
  }
}

package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A slow endpoint (it would answer after 10 s; the test profile's timeout cuts it at 2 s) and a
 * dead one (connection refused) next to a fast one: the fast one keeps its rate, and the slow one
 * never has more than its in-flight limit of requests open.
 */
@QuarkusTest
@TestProfile(WebhookTimeoutsProfile.class)
class WebhookFairnessTest {

  private static final int EVENTS = 300;

  @Inject EventOutbox outbox;

  private String tenantId;
  private String key;

  @Test
  void aFastEndpointKeepsItsRateNextToASlowAndADeadOne() throws Exception {
    var tenant = Api.newTenantResponse("live");
    tenantId = tenant.path("id");
    key = tenant.path("apiKey");
    try (Receiver fast = new Receiver();
        Receiver slow = new Receiver()) {
      endpoint(fast.url());
      double alone = rate(fast);

      slow.respond(
          r -> {
            try {
              Thread.sleep(10_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Answer.of(200);
          });
      String slowId = endpoint(slow.url());
      String deadId = endpoint("http://127.0.0.1:" + closedPort() + "/hook");
      double beside = rate(fast);

      assertEquals(2 * EVENTS, fast.requests().size(), "the fast endpoint got each event once");
      assertThat(
          "deliveries/s beside a slow and a dead endpoint, against " + alone + "/s alone",
          beside,
          greaterThanOrEqualTo(alone / 3));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(errors(slowId), everyItem(startsWith("timed out after PT2S")));
                assertThat(errors(slowId).size(), greaterThanOrEqualTo(8));
              });
      // The slow endpoint's attempts, each from its start to its end, overlap at most its
      // in-flight limit deep.
      assertThat(mostAtOnce(slowId), lessThanOrEqualTo(4));
      List<String> dead = errors(deadId);
      assertThat(dead.size(), greaterThanOrEqualTo(1));
      assertThat(dead, everyItem(startsWith("connection failed")));
    }
  }

  /** Deliveries/s of {@link #EVENTS} events committed at once, to the last arrival at {@code r}. */
  private double rate(Receiver r) {
    long started = System.nanoTime();
    List<String> ids = Events.appendMany(outbox, tenantId, "trade.created", EVENTS);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> ids.stream().allMatch(id -> r.requestsFor(id).size() == 1));
    return EVENTS / ((System.nanoTime() - started) / 1e9);
  }

  /** The most attempts of an endpoint that were under way at one moment, from its attempt log. */
  private int mostAtOnce(String endpointId) {
    List<Map<String, Object>> attempts =
        as(key)
            .get("/v1/webhook-endpoints/" + endpointId + "/attempts?limit=200")
            .then()
            .statusCode(200)
            .extract()
            .path("data");
    // Ends are when the attempt finished; a millisecond or two either way is rounding.
    List<long[]> spans = new ArrayList<>();
    for (Map<String, Object> a : attempts) {
      long end = Instant.parse((String) a.get("attemptedAt")).toEpochMilli();
      long start = end - ((Number) a.get("durationMs")).longValue();
      spans.add(new long[] {start + 2, end - 2});
    }
    int most = 0;
    for (long[] s : spans) {
      long at = s[0];
      most = Math.max(most, (int) spans.stream().filter(o -> o[0] <= at && at < o[1]).count());
    }
    return most;
  }

  private String endpoint(String url) {
    return as(key)
        .body(Map.of("url", url, "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  private List<String> errors(String endpointId) {
    return as(key)
        .get("/v1/webhook-endpoints/" + endpointId + "/attempts?limit=200")
        .then()
        .statusCode(200)
        .extract()
        .path("data.error");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}

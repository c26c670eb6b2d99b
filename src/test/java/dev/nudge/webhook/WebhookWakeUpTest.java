package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import dev.nudge.support.Api;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * New events are sent the moment they commit, whichever way they were written: a trade created and
 * acted on through the API (plain JDBC transactions) and a complaint opened (a JTA transaction).
 * The profile's poll never comes within the test, so every delivery here was woken by the commit.
 */
@QuarkusTest
@TestProfile(WebhookTimeoutsProfile.class)
class WebhookWakeUpTest {

  @Inject WebhookDispatcher dispatcher;

  @Test
  void eventsAreSentWhenTheyCommitWithoutWaitingForThePoll() {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    try (Receiver receiver = new Receiver()) {
      subscribe(key, receiver);
      // Each write is awaited on its own: a later commit's wake-up would carry earlier events.
      String trade = Fixtures.trade(key, seller, buyer, null);
      awaitDelivered(receiver, key, trade, 1);
      Fixtures.act(key, trade, "request_reply", seller);
      awaitDelivered(receiver, key, trade, 2);
      String complaint = Fixtures.aComplaint(key).open();
      awaitDelivered(receiver, key, complaint, 1);
    }
  }

  /**
   * A tenant without an endpoint has nothing to fan out: its commits leave the dispatcher asleep.
   * Once it subscribes (on this replica), its next event is sent at once, still without the poll.
   */
  @Test
  void commitsOfATenantWithoutEndpointsDoNotWakeTheFanOutUntilItSubscribes() {
    String key = Api.newTenant("live");
    String seller = Fixtures.party(key);
    String buyer = Fixtures.party(key);
    // Skipped as soon as the dispatcher has read who subscribes (at once after an endpoint change).
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              long before = dispatcher.skippedWakeUps();
              Fixtures.trade(key, seller, buyer, null);
              assertThat(dispatcher.skippedWakeUps(), greaterThan(before));
            });
    String before = Fixtures.trade(key, seller, buyer, null);
    try (Receiver receiver = new Receiver()) {
      subscribe(key, receiver);
      String trade = Fixtures.trade(key, seller, buyer, null);
      awaitDelivered(receiver, key, trade, 1);
      for (Map<String, Object> e : Fixtures.events(key, before)) {
        assertThat(receiver.requestsFor((String) e.get("id")), empty());
      }
    }
  }

  /** Waits until the receiver has every event of {@code subjectId}, each once (at least n). */
  private static void awaitDelivered(Receiver receiver, String key, String subjectId, int n) {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              List<String> events =
                  Fixtures.events(key, subjectId).stream().map(e -> (String) e.get("id")).toList();
              assertThat(events.size(), greaterThanOrEqualTo(n));
              for (String id : events) {
                assertThat(id, receiver.requestsFor(id), hasSize(1));
              }
            });
  }

  /** Subscribes {@code receiver} to every event of the tenant. */
  private static void subscribe(String key, Receiver receiver) {
    as(key)
        .body(Map.of("url", receiver.url(), "eventTypes", List.of("*")))
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(201);
  }
}

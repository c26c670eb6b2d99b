package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Fixtures;
import dev.nudge.support.Receiver;
import dev.nudge.support.Sql;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * New events are sent the moment they commit, whichever way they were written: a trade created and
 * acted on through the API (plain JDBC transactions) and a complaint opened (a JTA transaction).
 * The profile's poll never comes within the test, so every delivery here was woken by the commit:
 * in process for the replica's own writes, by the outbox's notification for another program's.
 */
@QuarkusTest
@TestProfile(WebhookTimeoutsProfile.class)
class WebhookWakeUpTest {

  @Inject WebhookDispatcher dispatcher;
  @Inject OutboxListener listener;
  @Inject AgroalDataSource db;

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

  /**
   * An event written straight into the outbox by another program, on a connection of its own, is
   * sent at once too: its insert notifies, and the replica's listener wakes the fan-out.
   */
  @Test
  void eventsAnotherProgramWritesIntoTheOutboxAreSentWithoutWaitingForThePoll() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String key = tenant.path("apiKey");
    try (Receiver receiver = new Receiver()) {
      subscribe(key, receiver);
      long before = listener.notifications();
      String id = "evt_outside" + System.nanoTime();
      try (Connection outside = Sql.outside()) {
        Events.insertRow(outside, tenant.path("id"), id);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(receiver.requestsFor(id), hasSize(1)));
      assertThat(listener.notifications(), greaterThan(before));
    }
  }

  /**
   * When the listening connection is lost (here: its backend terminated), the listener takes
   * another from the pool and goes on; what was committed meanwhile is sent too.
   */
  @Test
  void aLostListeningConnectionIsReplaced() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String key = tenant.path("apiKey");
    try (Receiver receiver = new Receiver()) {
      subscribe(key, receiver);
      try (Connection outside = Sql.outside();
          Statement s = outside.createStatement()) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> terminateListener(s) == 1); // once it listens (again, after a test)
        String id = "evt_outside" + System.nanoTime();
        Events.insertRow(outside, tenant.path("id"), id);
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(() -> assertThat(receiver.requestsFor(id), hasSize(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> listening(s) == 1);
      }
    }
  }

  private static int terminateListener(Statement s) throws Exception {
    try (ResultSet rs =
        s.executeQuery(
            "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity"
                + " where query = 'listen "
                + OutboxListener.CHANNEL
                + "' and pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int listening(Statement s) throws Exception {
    try (ResultSet rs =
        s.executeQuery(
            "select count(*) from pg_stat_activity where query = 'listen "
                + OutboxListener.CHANNEL
                + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Only writers other than a replica notify: the replica's own connections (which wake its fan-out
   * in process) say so, and their inserts send nothing, so the API's commits never queue behind the
   * lock PostgreSQL holds across the commit of every notifying transaction. A session hears its own
   * notifications when it commits, after every earlier one: the listening connection's own insert,
   * committed after the replica's, is all it hears.
   */
  @Test
  void onlyWritersOtherThanAReplicaNotify() throws Exception {
    String tenantId = Api.newTenantResponse("live").path("id");
    try (Connection outside = Sql.outside();
        Connection replica = db.getConnection()) {
      try (Statement s = outside.createStatement()) {
        s.execute("listen " + OutboxListener.CHANNEL);
      }
      Events.insertRow(replica, tenantId, "evt_replica" + System.nanoTime());
      Events.insertRow(outside, tenantId, "evt_outside" + System.nanoTime());
      PGNotification[] heard = outside.unwrap(PGConnection.class).getNotifications();
      int outsidePid = outside.unwrap(PGConnection.class).getBackendPID();
      assertThat(Arrays.stream(heard).map(PGNotification::getPID).toList(), contains(outsidePid));
      try (Statement s = replica.createStatement();
          ResultSet rs = s.executeQuery("select current_setting('nudge.replica', true)")) {
        rs.next();
        assertThat(rs.getString(1), is("on"));
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

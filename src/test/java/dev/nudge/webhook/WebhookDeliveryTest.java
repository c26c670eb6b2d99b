package dev.nudge.webhook;

import static dev.nudge.support.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.event.EventOutbox;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import dev.nudge.support.StandardWebhooksVerifier;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebhookDeliveryTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject EventOutbox outbox;
  @Inject AgroalDataSource db;

  private final ObjectMapper json = new ObjectMapper();
  private Receiver receiver;
  private String tenantId;
  private String key;

  record Endpoint(String id, String secret) {}

  @BeforeEach
  void setUp() {
    receiver = new Receiver();
    var tenant = Api.newTenantResponse("live");
    tenantId = tenant.path("id");
    key = tenant.path("apiKey");
  }

  @AfterEach
  void tearDown() {
    receiver.close();
  }

  private Endpoint endpoint(String url, List<String> types, String partyId) {
    Map<String, Object> body =
        partyId == null
            ? Map.of("url", url, "eventTypes", types)
            : Map.of("url", url, "eventTypes", types, "partyId", partyId);
    var created = as(key).body(body).post("/v1/webhook-endpoints").then().statusCode(201).extract();
    return new Endpoint(created.path("id"), created.path("secret"));
  }

  private Endpoint endpoint(List<String> types) {
    return endpoint(receiver.url(), types, null);
  }

  private void awaitRequests(Receiver r, String eventId, int count) {
    await().atMost(PATIENCE).until(() -> r.requestsFor(eventId).size() >= count);
  }

  @Test
  void deliversTheSignedEnvelopeOfSubscribedEventsOnly() throws Exception {
    Endpoint ep = endpoint(List.of("trade.*"));
    String skipped = Events.append(outbox, tenantId, "complaint.opened");
    String eventId = Events.append(outbox, tenantId, "trade.created");
    awaitRequests(receiver, eventId, 1);

    Receiver.Request request = receiver.requestsFor(eventId).get(0);
    assertEquals("application/json", request.header("content-type"));
    long ts = Long.parseLong(request.header("webhook-timestamp"));
    assertTrue(Math.abs(Instant.now().getEpochSecond() - ts) < 300, "timestamp is now");
    assertTrue(
        StandardWebhooksVerifier.verify(
            ep.secret(),
            request.header("webhook-id"),
            request.header("webhook-timestamp"),
            request.body(),
            request.header("webhook-signature")),
        "signature verifies with the endpoint's secret");
    assertTrue(
        !StandardWebhooksVerifier.verify(
            ep.secret(),
            request.header("webhook-id"),
            request.header("webhook-timestamp"),
            request.body() + " ",
            request.header("webhook-signature")),
        "a changed body does not verify");
    JsonNode envelope = json.readTree(request.body());
    assertEquals(eventId, envelope.get("id").asText());
    assertEquals("trade.created", envelope.get("type").asText());
    assertEquals("trade", envelope.get("subject").get("kind").asText());
    assertEquals(1, envelope.get("sequence").asInt());
    assertEquals("Photo card swap", envelope.get("data").get("title").asText());
    assertTrue(envelope.has("createdAt"));
    // The complaint event was fanned out before the trade event and matched nothing.
    assertEquals(0, receiver.requestsFor(skipped).size());
    assertEquals(0, deliveries(ep.id(), skipped));

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + ep.id() + "/attempts")
                    .then()
                    .statusCode(200)
                    .body("data", hasSize(1))
                    .body("data[0].eventId", equalTo(eventId))
                    .body("data[0].status", equalTo("succeeded"))
                    .body("data[0].httpStatus", equalTo(200))
                    .body("data[0].attempt", equalTo(1))
                    .body("data[0].nextAttemptAt", nullValue()));
  }

  @Test
  void retriesAfterServerErrorsWithTheSameIdThenSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(
        r ->
            calls.incrementAndGet() <= 2
                ? new Answer(500, Map.of(), "{\"error\":\"database down\"}")
                : Answer.of(204));
    Endpoint ep = endpoint(List.of("*"));
    String eventId = Events.append(outbox, tenantId, "trade.state_changed");
    awaitRequests(receiver, eventId, 3);

    List<Receiver.Request> requests = receiver.requestsFor(eventId);
    // Test schedule 1s,2s with 10 % jitter.
    assertThat(
        requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos(),
        greaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(850)));
    assertThat(
        requests.get(2).receivedAtNanos() - requests.get(1).receivedAtNanos(),
        greaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1750)));
    for (Receiver.Request r : requests) {
      assertTrue(
          StandardWebhooksVerifier.verify(
              ep.secret(),
              r.header("webhook-id"),
              r.header("webhook-timestamp"),
              r.body(),
              r.header("webhook-signature")));
    }
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + ep.id() + "/attempts")
                    .then()
                    .statusCode(200)
                    .body("data.status", equalTo(List.of("succeeded", "failed", "failed")))
                    .body("data.attempt", equalTo(List.of(3, 2, 1)))
                    .body("data.httpStatus", equalTo(List.of(204, 500, 500)))
                    .body("data[1].response", equalTo("{\"error\":\"database down\"}"))
                    .body("data[1].nextAttemptAt", notNullValue())
                    .body("data[0].nextAttemptAt", nullValue()));
    as(key)
        .get("/v1/webhook-endpoints/" + ep.id())
        .then()
        .body("status", equalTo("enabled"))
        .body("failingSince", nullValue());
  }

  @Test
  void goneDisablesTheEndpointAtOnce() throws Exception {
    receiver.respond(r -> Answer.of(410));
    Endpoint ep = endpoint(List.of("*"));
    String eventId = Events.append(outbox, tenantId, "trade.created");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + ep.id())
                    .then()
                    .body("status", equalTo("disabled"))
                    .body("disabledReason", equalTo("gone")));
    as(key)
        .get("/v1/webhook-endpoints/" + ep.id() + "/attempts")
        .then()
        .body("data", hasSize(1))
        .body("data[0].httpStatus", equalTo(410))
        .body("data[0].nextAttemptAt", nullValue());
    String later = Events.append(outbox, tenantId, "trade.created");
    // Nothing more goes to a disabled endpoint: the later event gets no delivery row.
    String probe = fannedOutMarker();
    assertEquals(1, receiver.requestsFor(eventId).size());
    assertEquals(0, deliveries(ep.id(), later), "fan-out passed " + probe);
  }

  @Test
  void redirectsAreFailuresAndRetryAfterIsHonoured() {
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(
        r ->
            calls.incrementAndGet() == 1
                ? new Answer(302, Map.of("Location", "http://127.0.0.1:1/elsewhere"), "")
                : new Answer(503, Map.of("Retry-After", "3600"), ""));
    Endpoint ep = endpoint(List.of("*"));
    String eventId = Events.append(outbox, tenantId, "trade.created");
    awaitRequests(receiver, eventId, 2);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + ep.id() + "/attempts")
                    .then()
                    .body("data.httpStatus", equalTo(List.of(503, 302)))
                    .body("data[1].error", equalTo("redirect not followed"))
                    .body("data[1].status", equalTo("failed")));
    var attempt = as(key).get("/v1/webhook-endpoints/" + ep.id() + "/attempts").then().extract();
    Instant at = Instant.parse(attempt.path("data[0].attemptedAt"));
    Instant next = Instant.parse(attempt.path("data[0].nextAttemptAt"));
    assertThat(Duration.between(at, next).getSeconds(), greaterThanOrEqualTo(3590L));
  }

  @Test
  void aHangingEndpointDoesNotDelayAHealthyOne() {
    CountDownLatch release = new CountDownLatch(1);
    try (Receiver hanging = new Receiver()) {
      hanging.answerOnceReleased(release);
      endpoint(hanging.url(), List.of("*"), null);
      endpoint(List.of("*"));
      long start = System.nanoTime();
      List<String> ids =
          java.util.stream.IntStream.range(0, 12)
              .mapToObj(i -> Events.append(outbox, tenantId, "trade.created"))
              .toList();
      // Well inside the 15 s timeout the stuck requests would otherwise have to run out.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ids.stream().allMatch(id -> !receiver.requestsFor(id).isEmpty()));
      assertThat(Duration.ofNanos(System.nanoTime() - start).toSeconds(), lessThanOrEqualTo(10L));
      // The stuck endpoint only ever holds its own share of requests.
      assertThat(hanging.requests().size(), lessThanOrEqualTo(4));
      assertThat(hanging.requests().size(), greaterThanOrEqualTo(1));
      release.countDown();
      await()
          .atMost(PATIENCE)
          .until(() -> ids.stream().allMatch(id -> !hanging.requestsFor(id).isEmpty()));
    } finally {
      release.countDown();
    }
  }

  @Test
  void replayAndRedeliverSendEventsAgainWithTheirIds() {
    Endpoint ep = endpoint(List.of("trade.*"));
    Instant since = Instant.now().minusSeconds(1);
    String first = Events.append(outbox, tenantId, "trade.created");
    String second = Events.append(outbox, tenantId, "trade.completed");
    awaitRequests(receiver, first, 1);
    awaitRequests(receiver, second, 1);

    as(key)
        .body(Map.of("since", since.toString()))
        .post("/v1/webhook-endpoints/" + ep.id() + "/replay")
        .then()
        .statusCode(202)
        .body("enqueued", equalTo(2));
    awaitRequests(receiver, first, 2);
    awaitRequests(receiver, second, 2);

    as(key)
        .post("/v1/events/" + first + "/redeliver")
        .then()
        .statusCode(202)
        .body("enqueued", equalTo(1));
    awaitRequests(receiver, first, 3);
    assertEquals(2, receiver.requestsFor(second).size());

    as(key)
        .body(Map.of())
        .post("/v1/webhook-endpoints/" + ep.id() + "/replay")
        .then()
        .statusCode(400)
        .body("errors[0].field", equalTo("since"));
  }

  @Test
  void afterRotationBothSecretsSign() {
    Endpoint ep = endpoint(List.of("*"));
    String fresh =
        as(key)
            .post("/v1/webhook-endpoints/" + ep.id() + "/rotate-secret")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    String eventId = Events.append(outbox, tenantId, "trade.created");
    awaitRequests(receiver, eventId, 1);
    Receiver.Request r = receiver.requestsFor(eventId).get(0);
    String header = r.header("webhook-signature");
    assertEquals(2, header.split(" ").length, header);
    for (String secret : List.of(ep.secret(), fresh)) {
      assertTrue(
          StandardWebhooksVerifier.verify(
              secret, r.header("webhook-id"), r.header("webhook-timestamp"), r.body(), header));
    }
  }

  @Test
  void partyEndpointsGetOnlyEventsAboutTheirParty() throws Exception {
    String alice = dev.nudge.support.Api.newParty(key, "@alice");
    Endpoint ep = endpoint(receiver.url(), List.of("*"), alice);
    String other = Events.append(outbox, tenantId, "trade.created", List.of("pty_bob", "pty_c"));
    String hers = Events.append(outbox, tenantId, "trade.created", List.of("pty_bob", alice));
    awaitRequests(receiver, hers, 1);
    assertEquals(0, deliveries(ep.id(), other));
    assertEquals(0, receiver.requestsFor(other).size());
  }

  @Test
  void fiveDaysOfContinuousFailureDisablesTheEndpoint() throws Exception {
    receiver.respond(r -> Answer.of(500));
    Endpoint ep = endpoint(List.of("*"));
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "update webhook_endpoint set failing_since = now() - interval '5 days 1 minute'"
                    + " where id = ?")) {
      ps.setString(1, ep.id());
      ps.executeUpdate();
    }
    Events.append(outbox, tenantId, "trade.created");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                as(key)
                    .get("/v1/webhook-endpoints/" + ep.id())
                    .then()
                    .body("status", equalTo("disabled"))
                    .body("disabledReason", equalTo("failing")));
  }

  @Test
  void aFailingEndpointIsNotDisabledBeforeFiveDays() {
    receiver.respond(r -> Answer.of(500));
    Endpoint ep = endpoint(List.of("*"));
    String eventId = Events.append(outbox, tenantId, "trade.created");
    awaitRequests(receiver, eventId, 2);
    as(key)
        .get("/v1/webhook-endpoints/" + ep.id())
        .then()
        .body("status", equalTo("enabled"))
        .body("failingSince", notNullValue());
  }

  /** Appends an event to another tenant and waits until the fan-out has passed it. */
  private String fannedOutMarker() {
    var other = Api.newTenantResponse("live");
    String otherTenant = other.path("id");
    String otherKey = other.path("apiKey");
    try (Receiver r = new Receiver()) {
      as(otherKey)
          .body(Map.of("url", r.url(), "eventTypes", List.of("*")))
          .post("/v1/webhook-endpoints")
          .then()
          .statusCode(201);
      String marker = Events.append(outbox, otherTenant, "trade.created");
      await().atMost(PATIENCE).until(() -> !r.requestsFor(marker).isEmpty());
      return marker;
    }
  }

  private int deliveries(String endpointId, String eventId) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "select count(*) from webhook_delivery where endpoint_id = ? and event_id = ?")) {
      ps.setString(1, endpointId);
      ps.setString(2, eventId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

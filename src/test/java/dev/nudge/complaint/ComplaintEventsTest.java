package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Fixtures.aComplaint;
import static dev.nudge.support.Fixtures.advance;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.Receiver;
import dev.nudge.support.StandardWebhooksVerifier;
import dev.nudge.trade.TradeFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Complaint events reach the tenant's webhooks, feed and stream like trade events (SPEC §4), and
 * never anything scoped to a party: complaints belong to the support team.
 */
@QuarkusTest
class ComplaintEventsTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void complaintEventsGoToTheTenantsWebhooksAndStreamButNotToAPartysEndpointFeedOrStream()
      throws Exception {
    String key = dev.nudge.support.Api.newTenant("test");
    TradeFixtures f = new TradeFixtures(key);
    try (Receiver support = new Receiver();
        Receiver partyApp = new Receiver()) {
      String secret = endpoint(key, support.url(), List.of("complaint.*"), null);
      endpoint(key, partyApp.url(), List.of("*"), f.a);

      String id = aComplaint(key).severity("high").open();
      assertThat(advance(key, "PT30M")).isEqualTo(1); // the first-response warning
      String trade = f.trade(); // a's event, the party endpoint's marker

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  types(support).containsAll(List.of("complaint.opened", "complaint.sla_warning")));
      await().atMost(Duration.ofSeconds(30)).until(() -> types(partyApp).contains("trade.created"));
      assertThat(types(support)).containsOnly("complaint.opened", "complaint.sla_warning");
      for (Receiver.Request r : support.requests()) {
        assertThat(
                StandardWebhooksVerifier.verify(
                    secret,
                    r.header("webhook-id"),
                    r.header("webhook-timestamp"),
                    r.body(),
                    r.header("webhook-signature")))
            .isTrue();
        JsonNode envelope = json.readTree(r.body());
        assertThat(envelope.get("subject").get("kind").asText()).isEqualTo("complaint");
        assertThat(envelope.get("subject").get("id").asText()).isEqualTo(id);
        assertThat(envelope.get("data").get("id").asText()).isEqualTo(id);
      }
      JsonNode warning =
          support.requests().stream()
              .map(r -> read(r.body()))
              .filter(e -> e.get("type").asText().equals("complaint.sla_warning"))
              .findFirst()
              .orElseThrow();
      assertThat(warning.get("data").get("metric").asText()).isEqualTo("first_response");
      assertThat(types(partyApp)).as("a party's endpoint").containsOnly("trade.created");

      assertThat(streamTypes("Authorization", "Bearer " + key, "?types=complaint.*", 2))
          .containsExactly("complaint.opened", "complaint.sla_warning");
      String token =
          as(key)
              .body(Map.of())
              .post("/v1/parties/" + f.a + "/tokens")
              .then()
              .statusCode(201)
              .extract()
              .path("token");
      assertThat(
              as(token)
                  .get("/v1/events")
                  .then()
                  .statusCode(200)
                  .extract()
                  .jsonPath()
                  .getList("data.subject.id", String.class))
          .as("a party token's feed")
          .containsOnly(trade);
      as(token)
          .queryParam("types", "complaint.*")
          .get("/v1/events")
          .then()
          .statusCode(200)
          .body("data.size()", org.hamcrest.Matchers.equalTo(0));
    }
  }

  private static String endpoint(String key, String url, List<String> types, String partyId) {
    Map<String, Object> body =
        partyId == null
            ? Map.of("url", url, "eventTypes", types)
            : Map.of("url", url, "eventTypes", types, "partyId", partyId);
    return as(key)
        .body(body)
        .post("/v1/webhook-endpoints")
        .then()
        .statusCode(201)
        .extract()
        .path("secret");
  }

  private List<String> types(Receiver r) {
    return r.requests().stream().map(q -> read(q.body()).get("type").asText()).toList();
  }

  private JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The event types of the first {@code count} frames of the stream. */
  private static List<String> streamTypes(String header, String value, String query, int count)
      throws Exception {
    HttpResponse<InputStream> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://localhost:" + RestAssured.port + "/v1/events/stream" + query))
                    .header(header, value)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (InputStream body = response.body()) {
      Future<List<String>> types =
          reader.submit(
              () -> {
                List<String> out = new ArrayList<>();
                BufferedReader in =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String line;
                while (out.size() < count && (line = in.readLine()) != null) {
                  if (line.startsWith("event:")) {
                    out.add(line.substring("event:".length()));
                  }
                }
                return out;
              });
      return types.get(30, TimeUnit.SECONDS);
    } finally {
      reader.shutdownNow();
    }
  }
}

package dev.nudge.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.Api;
import dev.nudge.support.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventStreamTest {

  @Inject EventOutbox outbox;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  record SseEvent(String id, String event, String data) {}

  /** Opens the stream and reads {@code count} events, then hangs up. */
  private List<SseEvent> read(String key, String lastEventId, int count) throws Exception {
    return read(key, lastEventId, count, () -> {});
  }

  /** As above; {@code afterFirst} runs once the first event has arrived. */
  private List<SseEvent> read(String key, String lastEventId, int count, Runnable afterFirst)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://localhost:" + RestAssured.port + "/v1/events/stream"))
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (InputStream body = response.body()) {
      Future<List<SseEvent>> events =
          reader.submit(
              () -> {
                List<SseEvent> out = new ArrayList<>();
                BufferedReader lines =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String id = null;
                String event = null;
                StringBuilder data = new StringBuilder();
                String line;
                while (out.size() < count && (line = lines.readLine()) != null) {
                  if (line.isEmpty()) {
                    if (data.length() > 0) {
                      out.add(new SseEvent(id, event, data.toString()));
                      if (out.size() == 1) {
                        afterFirst.run();
                      }
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                  } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                  } else if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                  } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                  }
                }
                return out;
              });
      return events.get(30, TimeUnit.SECONDS);
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void streamsEventsAndResumesFromLastEventId() throws Exception {
    var tenant = Api.newTenantResponse("live");
    String tenantId = tenant.path("id");
    String key = tenant.path("apiKey");
    String first = Events.append(outbox, tenantId, "trade.created");
    String second = Events.append(outbox, tenantId, "trade.state_changed");
    String third = Events.append(outbox, tenantId, "trade.completed");

    List<SseEvent> events = read(key, null, 2);
    assertEquals(first, json.readTree(events.get(0).data()).get("id").asText());
    assertEquals("trade.created", events.get(0).event());
    JsonNode envelope = json.readTree(events.get(1).data());
    assertEquals(second, envelope.get("id").asText());
    assertEquals("trade.state_changed", events.get(1).event());
    assertEquals("trade", envelope.get("subject").get("kind").asText());

    // Reconnecting with the last id continues right after it, then sees new events live.
    java.util.concurrent.atomic.AtomicReference<String> fourth =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<SseEvent> rest =
        read(
            key,
            events.get(1).id(),
            2,
            () -> fourth.set(Events.append(outbox, tenantId, "trade.cancelled")));
    assertEquals(third, json.readTree(rest.get(0).data()).get("id").asText());
    assertEquals(fourth.get(), json.readTree(rest.get(1).data()).get("id").asText());
    assertEquals("trade.cancelled", rest.get(1).event());
  }

  @Test
  void aBadLastEventIdIs400() {
    String key = Api.newTenant("live");
    var response =
        Api.raw("GET", "/v1/events/stream", key, null, java.util.Map.of("Last-Event-ID", "junk"));
    assertEquals(400, response.statusCode());
  }
}

package dev.nudge.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.EmbeddedDataDirectory;
import dev.nudge.support.OverdueTrades;
import dev.nudge.support.Receiver;
import dev.nudge.support.ServiceProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Black-box test of SIGTERM on the packaged service (embedded default) while it is busy: event
 * streams open, webhook deliveries in flight to a slow receiver, timer batches running. It stops
 * within its 15 s shutdown timeout, logs no ERROR, the streams end cleanly (a complete chunked
 * response, no reset), no database process is left, and nothing is lost: a new start on the same
 * data finishes every trade exactly once and every event is delivered.
 */
class GracefulShutdownIT {

  private static final int TRADES = 500;
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EmbeddedDataDirectory data =
      new EmbeddedDataDirectory(Path.of("target", "graceful-shutdown", "data"));
  private final List<ServiceProcess> services = new ArrayList<>();
  private final Receiver receiver = new Receiver();

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    for (ServiceProcess s : services) {
      s.close();
    }
    data.stopServers();
  }

  @Test
  void sigtermWhileBusyEndsInTimeCleanlyAndLosesNothing() throws Exception {
    data.clean();
    ServiceProcess service = start("service-1.log");
    service.awaitReady(Duration.ofSeconds(120));
    ServiceProcess.Tenant t = service.tenantWithSilencePolicy("Shutdown");
    AtomicInteger inFlight = new AtomicInteger();
    receiver.respond(
        r -> {
          inFlight.incrementAndGet();
          try {
            Thread.sleep(1500); // a slow receiver: deliveries are in flight at SIGTERM
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            inFlight.decrementAndGet();
          }
          return Receiver.Answer.of(200);
        });
    service.post(
        t.key(),
        "/v1/webhook-endpoints",
        Map.of("url", receiver.url(), "eventTypes", List.of("trade.reminder_due")));
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      streams.add(Stream.open(service.port(), t.key()));
    }
    // A client that goes away mid-stream: not an error, nothing to log as one.
    Stream quitter = Stream.open(service.port(), t.key());
    String template = service.awaitingTrade(t, "Template");
    await().atMost(Duration.ofSeconds(30)).until(() -> quitter.events.get() > 0);
    quitter.body.close();
    OverdueTrades copies = new OverdueTrades(data.database(), "stop");
    copies.copy(template, TRADES, Duration.ofHours(3));

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> inFlight.get() > 0 && copies.fired() < 3L * TRADES);
    long sigterm = System.nanoTime();
    service.process().destroy();
    assertThat(service.process().waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS))
        .as("stopped")
        .isTrue();
    Duration took = Duration.ofNanos(System.nanoTime() - sigterm);
    System.out.printf("SIGTERM to exit: %d ms%n", took.toMillis());

    assertThat(service.log()).doesNotContain(" ERROR ");
    for (Stream s : streams) {
      assertThat(s.ended.get(10, TimeUnit.SECONDS)).as("the stream ended cleanly").isEqualTo("eof");
      assertThat(s.events.get()).as("events seen on the stream").isPositive();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(data.servers()).as("processes serving the data").isEmpty());

    // Nothing lost: a new start finishes the work, each trade exactly once, every event delivered.
    receiver.respond(r -> Receiver.Answer.of(200));
    ServiceProcess again = start("service-2.log");
    again.awaitReady(Duration.ofSeconds(120));
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> copies.cancelled() == TRADES);
    copies.assertEachFiredExactlyOnce();
    Set<String> events = copies.reminderEvents();
    assertThat(events).hasSize(2 * TRADES);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        receiver.requests().stream()
                            .map(r -> r.header("webhook-id"))
                            .collect(Collectors.toSet()))
                    .containsAll(events));
    int before = again.log().length();
    again.process().destroy();
    assertThat(again.process().waitFor(SHUTDOWN_TIMEOUT.toSeconds() + 15, TimeUnit.SECONDS))
        .isTrue();
    assertThat(again.log().substring(before)).as("logged at shutdown").doesNotContain(" ERROR ");
  }

  /** An open {@code /v1/events/stream}, read on its own thread until it ends. */
  private static final class Stream {
    final CompletableFuture<String> ended = new CompletableFuture<>();
    final AtomicInteger events = new AtomicInteger();
    InputStream body;

    static Stream open(int port, String key) throws Exception {
      Stream s = new Stream();
      HttpResponse<InputStream> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://localhost:" + port + "/v1/events/stream"))
                      .header("Authorization", "Bearer " + key)
                      .header("Accept", "text/event-stream")
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      s.body = r.body();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    if (line.startsWith("event:")) {
                      s.events.incrementAndGet();
                    }
                  }
                  s.ended.complete("eof");
                } catch (Exception e) {
                  s.ended.complete("broken: " + e);
                }
              },
              "sse-reader");
      reader.setDaemon(true);
      reader.start();
      return s;
    }
  }

  private ServiceProcess start(String log) throws Exception {
    ServiceProcess s =
        ServiceProcess.start(
            data.path().getParent().resolve(log),
            Map.of(
                "NUDGE_DATA_DIR", data.path().toString(),
                "NUDGE_SCHEDULER_POLL_INTERVAL", "1s",
                "NUDGE_SCHEDULER_BATCH_SIZE", "5",
                "NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "NUDGE_WEBHOOKS_RETRY_SCHEDULE", "1s,1s,2s,2s,5s,5s,10s"));
    services.add(s);
    return s;
  }
}

package dev.nudge.event;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nudge.support.Fixtures;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream as a browser's {@code EventSource} opens it: no headers, a party token in the query,
 * only that party's events, frames of {@code id}, {@code event} and {@code data} lines, and a
 * comment on an idle stream so that proxies keep it open ({@code 1s} in tests, 15 s by default).
 */
@QuarkusTest
class BrowserStreamTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aPartyTokenInTheQuerySeesOnlyItsPartysEventsAndTheStreamKeepsAlive() throws Exception {
    String key = newTenant("test");
    TradeFixtures f = new TradeFixtures(key);
    String mine = f.trade();
    String carol = TradeFixtures.party(key, "@carol", "en", "UTC");
    String theirs = Fixtures.trade(key, f.b, carol, null);
    Fixtures.aComplaint(key).open();
    f.act(mine, "request_reply", f.a).statusCode(200);
    String token =
        as(key)
            .body(Map.of())
            .post("/v1/parties/" + f.a + "/tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");

    List<String> lines = read("/v1/events/stream?token=" + token);

    List<String> data = lines.stream().filter(l -> l.startsWith("data:")).toList();
    assertThat(data).hasSize(2);
    assertThat(data).allMatch(d -> d.contains(mine)).noneMatch(d -> d.contains(theirs));
    assertThat(lines.stream().filter(l -> l.startsWith("event:")))
        .containsExactly("event:trade.created", "event:trade.state_changed");
    assertThat(lines).contains(":keep-alive");
    assertThat(lines)
        .as("only id, event, data, comments and blank lines")
        .allMatch(
            l ->
                l.isEmpty()
                    || l.startsWith("id:")
                    || l.startsWith("event:")
                    || l.startsWith("data:")
                    || l.startsWith(":"));

    // Only the stream and the calendar feed take a token in the query.
    dev.nudge.support.Api.anonymous().get("/v1/trades?token=" + token).then().statusCode(401);
    // A tenant key never goes into a URL, where logs and proxies keep it.
    dev.nudge.support.Api.anonymous()
        .get("/v1/events/stream?token=" + key)
        .then()
        .statusCode(401)
        .body("detail", org.hamcrest.Matchers.containsString("Only a party token"));
  }

  /** Reads the stream until two events and a keep-alive comment have come, then hangs up. */
  private List<String> read(String path) throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (InputStream body = response.body()) {
      Future<List<String>> lines =
          reader.submit(
              () -> {
                List<String> out = new ArrayList<>();
                BufferedReader in =
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                  out.add(line);
                  if (line.startsWith(":")
                      && out.stream().filter(l -> l.startsWith("data:")).count() >= 2) {
                    return out;
                  }
                }
                return out;
              });
      return lines.get(30, TimeUnit.SECONDS);
    } finally {
      reader.shutdownNow();
    }
  }
}

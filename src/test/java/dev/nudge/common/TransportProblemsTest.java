package dev.nudge.common;

import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.RawHttp;
import dev.nudge.support.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Errors of the HTTP layer (before any resource is reached) are problem+json like every other
 * error: sent as raw bytes, since no well-behaved client sends these requests.
 */
@QuarkusTest
class TransportProblemsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private String key;

  @BeforeEach
  void tenant() {
    key = newTenant("test");
  }

  private Answer get(String target, String... headers) {
    StringBuilder r = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
    r.append("Authorization: Bearer ").append(key).append("\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    return RawHttp.send(RestAssured.port, r.append("Connection: close\r\n\r\n").toString());
  }

  private static JsonNode problem(Answer a, int status, String type) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.contentType()).isEqualTo("application/problem+json");
    JsonNode body = JSON.readTree(a.body());
    assertThat(body.get("type").asText()).isEqualTo("https://nudge.dev/problems/" + type);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    for (String field : new String[] {"title", "detail", "instance"}) {
      assertThat(body.hasNonNull(field)).as(field).isTrue();
    }
    assertThat(a.body()).doesNotContain("Exception").doesNotContain("vertx");
    return body;
  }

  @Test
  void aRequestTargetOverTheLimitIs414() throws Exception {
    JsonNode body = problem(get("/v1/parties?handle=" + "a".repeat(9000)), 414, "uri-too-long");
    assertThat(body.get("limit").asInt()).isEqualTo(8192);
  }

  @Test
  void aRequestTargetFarOverTheLimitIsStill414ProblemJson() throws Exception {
    // Up to the parser's own ceiling (64 KiB of request line) the answer is the API's problem.
    problem(get("/v1/parties?handle=" + "a".repeat(60_000)), 414, "uri-too-long");
    problem(get("/v1/parties/" + "%F0%9F%8C%B8".repeat(3000)), 414, "uri-too-long");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "POST /v1/events/evt_x/redeliver; ",
        "POST /v1/parties; application/json, text/plain"
      })
  void aContentTypeThatIsNoMediaTypeIs415(String request, String type) throws Exception {
    String body = "{\"handle\":\"@aki\",\"displayName\":\"Aki\"}";
    Answer a =
        RawHttp.send(
            RestAssured.port,
            request
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key
                + "\r\nContent-Type: "
                + (type == null ? "" : type)
                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(body.length())
                + "\r\n"
                + body
                + "\r\n0\r\n\r\n");
    problem(a, 415, "unsupported-media-type");
  }

  @Test
  void headerFieldsOverTheLimitAre431() throws Exception {
    problem(get("/v1/parties", "X-Padding: " + "a".repeat(25_000)), 431, "headers-too-large");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "/v1/parties/%zz; path; invalid percent-encoding '%zz'",
        "/v1/parties/a%2; path; incomplete percent-encoding",
        "/v1/parties/a%00b; path; control characters",
        "/v1/parties/%ff%fe; path; not valid UTF-8",
        "/v1/parties/a|b; path; must be percent-encoded: '|'",
        "/v1/parties/{id}; path; must be percent-encoded: '{'",
        "/v1/parties?handle=%zz; handle; invalid percent-encoding",
        "/v1/parties?handle=%40a%07; handle; control characters",
        "/v1/parties?handle=a\\b; handle; must be percent-encoded",
        "/v1/parties?%zz=1; query; invalid percent-encoding"
      })
  void badPercentEncodingAndControlCharactersAre400NamingWhere(
      String target, String field, String message) throws Exception {
    JsonNode body = problem(get(target), 400, "validation-failed");
    assertThat(body.at("/errors/0/field").asText()).isEqualTo(field);
    assertThat(body.at("/errors/0/message").asText()).contains(message);
  }

  @Test
  void rawNonAsciiBytesInThePathAre400() throws Exception {
    byte[] request =
        ("GET /v1/parties/\u00ff\u00fe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    JsonNode body = problem(RawHttp.send(RestAssured.port, request), 400, "validation-failed");
    assertThat(body.at("/errors/0/field").asText()).isEqualTo("path");
  }

  @Test
  void aMissingHostIs400() throws Exception {
    Answer a =
        RawHttp.send(
            RestAssured.port,
            "GET /v1/parties HTTP/1.1\r\nAuthorization: Bearer " + key + "\r\n\r\n");
    JsonNode body = problem(a, 400, "validation-failed");
    assertThat(body.at("/errors/0/field").asText()).isEqualTo("Host");
  }

  @Test
  void pathsOutsideTheApiAreProblemsToo() throws Exception {
    problem(
        RawHttp.send(RestAssured.port, "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        404,
        "not-found");
    problem(
        RawHttp.send(RestAssured.port, "GET v1/parties HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        404,
        "not-found");
  }
}

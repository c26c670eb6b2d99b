package dev.nudge.common;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.LogCapture;
import dev.nudge.support.RawHttp;
import dev.nudge.support.RawHttp.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the HTTP parser cannot read (a control character inside a header, two Content-Lengths, a
 * broken chunked body) answer problem+json like every other refusal, close the connection, and
 * create nothing. Sent as raw bytes: no HTTP client sends them.
 */
@QuarkusTest
class ParserRefusalsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private String key;
  private String handle;

  @BeforeEach
  void tenant() {
    key = newTenant("test");
    handle = "@raw" + System.nanoTime();
  }

  private String party() {
    return "{\"handle\":\""
        + handle
        + "\",\"displayName\":\"Raw\",\"locale\":\"en\",\"timeZone\":\"UTC\"}";
  }

  /** A POST that would create the party, with {@code headers} and the body as {@code body}. */
  private String post(String headers, String body) {
    return "POST /v1/parties HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + key
        + "\r\nContent-Type: application/json\r\n"
        + headers
        + "\r\n"
        + body;
  }

  private String chunked(String body) {
    return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  private void nothingCreated() {
    as(key)
        .queryParam("handle", handle)
        .get("/v1/parties")
        .then()
        .statusCode(200)
        .body("data.size()", org.hamcrest.Matchers.equalTo(0));
  }

  private static JsonNode refused(Answer a, String field) throws Exception {
    assertThat(a.status()).as(a.body()).isEqualTo(400);
    assertThat(a.contentType()).isEqualTo("application/problem+json");
    assertThat(a.headers().get("connection")).isEqualTo("close");
    JsonNode body = JSON.readTree(a.body());
    assertThat(body.get("type").asText()).isEqualTo("https://nudge.dev/problems/validation-failed");
    assertThat(body.get("status").asInt()).isEqualTo(400);
    for (String f : new String[] {"title", "detail", "instance"}) {
      assertThat(body.hasNonNull(f)).as(f).isTrue();
    }
    assertThat(body.at("/errors/0/field").asText()).isEqualTo(field);
    assertThat(a.body())
        .doesNotContain("Exception")
        .doesNotContain("netty")
        .doesNotContain("vertx");
    return body;
  }

  static Stream<Arguments> headersThatAreNotHttp() {
    return Stream.of(
        Arguments.of("X-Note: a\u0001b", "headers"),
        Arguments.of("X-Note: a\u007fb", "headers"),
        Arguments.of("X-Note: a\rb", "headers"),
        Arguments.of("X-N\u0001ote: ab", "headers"),
        Arguments.of("X-Note : ab", "headers"),
        Arguments.of("X-Note ab", "headers"),
        Arguments.of("Content-Length: 2\r\nContent-Length: 3", "Content-Length"),
        Arguments.of("Content-Length: 2\r\nContent-Length: 2", "Content-Length"),
        Arguments.of("Content-Length: 2, 3", "Content-Length"),
        Arguments.of("Content-Length: two", "Content-Length"));
  }

  @ParameterizedTest
  @MethodSource("headersThatAreNotHttp")
  void aHeaderThatIsNotHttpIs400ProblemJson(String header, String field) throws Exception {
    Answer a = RawHttp.send(RestAssured.port, post(header + "\r\n", party()));
    JsonNode body = refused(a, field);
    assertThat(body.get("instance").asText()).isEqualTo("/v1/parties");
    // The refusal does not repeat the header's value (it could be a credential).
    assertThat(a.body()).doesNotContain("a\u0001b").doesNotContain(key);
    nothingCreated();
  }

  @Test
  void aRequestLineThatIsNotHttpIs400ProblemJson() throws Exception {
    refused(RawHttp.send(RestAssured.port, "HELLO\r\n\r\n"), "request line");
  }

  @Test
  void aChunkSizeThatIsNotHexadecimalIs400ProblemJson() throws Exception {
    Answer a =
        RawHttp.send(
            RestAssured.port,
            post("Transfer-Encoding: chunked\r\n", "zz\r\n" + party() + "\r\n0\r\n\r\n"));
    JsonNode body = refused(a, "body");
    assertThat(body.get("instance").asText()).isEqualTo("/v1/parties");
    nothingCreated();
  }

  @Test
  void aChunkLongerThanItsSizeIs400ProblemJson() throws Exception {
    String json = party();
    Answer a =
        RawHttp.send(
            RestAssured.port,
            post(
                "Transfer-Encoding: chunked\r\n",
                Integer.toHexString(json.length() - 5) + "\r\n" + json + "\r\n0\r\n\r\n"));
    refused(a, "body");
    nothingCreated();
  }

  /**
   * A body cut short by a client that closes its side: the connection is gone when the parser
   * notices, so there is nobody to answer. Nothing is written, nothing is stored, and no server
   * error is logged.
   */
  @Test
  void aBodyCutShortByAClosedConnectionIsNoServerError() throws Exception {
    try (LogCapture log = LogCapture.install()) {
      byte[] answer =
          sendAndClose(post("Transfer-Encoding: chunked\r\n", "40\r\n" + party().substring(0, 10)));
      assertThat(answer).isEmpty();
      answer = sendAndClose(post("Content-Length: 500\r\n", party()));
      assertThat(answer).isEmpty();
      nothingCreated();
      // The worker that was reading the body sees the cut after the client left; give it time.
      Awaitility.await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> log.records().stream().noneMatch(r -> r.startsWith("ERROR")));
    }
  }

  @Test
  void aTransferCodingOtherThanChunkedIs400AndClosesTheConnection() throws Exception {
    for (String coding : new String[] {"gzip, chunked", "gzip", "chunked, chunked"}) {
      Answer a =
          RawHttp.send(
              RestAssured.port, post("Transfer-Encoding: " + coding + "\r\n", chunked(party())));
      refused(a, "Transfer-Encoding");
    }
    nothingCreated();
  }

  /**
   * Content-Length beside Transfer-Encoding: chunked (RFC 9112 section 6.3): the parser drops the
   * Content-Length and reads the body by its chunks, one of the two readings the RFC allows, so the
   * body's end is never ambiguous.
   */
  @Test
  void aContentLengthBesideChunkedIsIgnoredAndTheBodyReadByItsChunks() throws Exception {
    Answer a =
        RawHttp.send(
            RestAssured.port,
            post(
                "Content-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                chunked(party())));
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    assertThat(JSON.readTree(a.body()).get("handle").asText()).isEqualTo(handle);
  }

  private static byte[] sendAndClose(String request) throws IOException {
    try (Socket s = new Socket("localhost", RestAssured.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      s.shutdownOutput();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}

package dev.nudge.common;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What browsers, caches and HTTP clients see below the JSON: compression, CORS preflights, {@code
 * Vary}, conditional GETs and {@code Allow}. Raw requests with the JDK client, which neither
 * decompresses nor adds headers by itself, so every header is the server's.
 */
@QuarkusTest
class HttpDetailsApiTest {

  /** HTTP/1.1, as browsers speak to a plain-text origin; {@link #overHttp2} covers h2c. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static final HttpClient HTTP2 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGIN = "http://localhost:5173";

  private String key;

  @BeforeEach
  void tenant() {
    key = Fixtures.tenant("test");
  }

  @Test
  void jsonOverAKibibyteIsGzippedForClientsThatAskAndSmallBodiesAreNot() throws IOException {
    for (int i = 0; i < 20; i++) {
      Fixtures.party(key);
    }
    HttpResponse<byte[]> zipped =
        send("GET", "/v1/parties?limit=20", "Accept-Encoding", "gzip, deflate");
    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(values(zipped, "Vary")).contains("Accept-Encoding", "Origin");
    String body;
    try (var in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body.length()).isGreaterThan(1024);
    assertThat(zipped.body().length).isLessThan(body.length());
    assertThat(JSON.readTree(body).get("data")).hasSize(20);

    HttpResponse<byte[]> plain = send("GET", "/v1/parties?limit=20");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(JSON.readTree(plain.body()).get("data")).hasSize(20);

    // Below 1 KiB gzip would cost more than it saves: sent as is, with no stray header.
    HttpResponse<byte[]> small = send("GET", "/v1/clock", "Accept-Encoding", "gzip");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(JSON.readTree(small.body()).get("now").asText()).endsWith("Z");
    assertThat(values(small, "Vary")).contains("Accept-Encoding");

    // Problems are JSON too; a small one stays plain.
    HttpResponse<byte[]> problem = send("GET", "/v1/parties/pty_none", "Accept-Encoding", "gzip");
    assertThat(problem.statusCode()).isEqualTo(404);
    assertThat(problem.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(JSON.readTree(problem.body()).get("status").asInt()).isEqualTo(404);
  }

  @Test
  void overHttp2LargeJsonIsGzippedAndSmallBodiesAreNot() throws IOException {
    for (int i = 0; i < 20; i++) {
      Fixtures.party(key);
    }
    send(HTTP2, "GET", "/v1/clock"); // the h2c upgrade happens on this first request
    HttpResponse<byte[]> zipped =
        send(HTTP2, "GET", "/v1/parties?limit=20", "Accept-Encoding", "gzip");
    assertThat(zipped.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (var in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
      assertThat(JSON.readTree(in).get("data")).hasSize(20);
    }
    HttpResponse<byte[]> small = send(HTTP2, "GET", "/v1/clock", "Accept-Encoding", "gzip");
    assertThat(small.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(small.headers().firstValue("Content-Encoding").orElse("identity"))
        .isEqualTo("identity");
    assertThat(JSON.readTree(small.body()).get("now").asText()).endsWith("Z");
  }

  @Test
  void corsPreflightIsCacheableAndVariesByOrigin() {
    HttpResponse<byte[]> preflight =
        send(
            "OPTIONS",
            "/v1/trades",
            "Origin",
            ORIGIN,
            "Access-Control-Request-Method",
            "POST",
            "Access-Control-Request-Headers",
            "authorization, content-type, idempotency-key",
            "Accept-Encoding",
            "gzip");
    assertThat(preflight.statusCode()).isEqualTo(200);
    var h = preflight.headers();
    assertThat(h.firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(values(preflight, "Access-Control-Allow-Methods")).contains("POST");
    assertThat(lower(values(preflight, "Access-Control-Allow-Headers")))
        .contains("authorization", "content-type", "idempotency-key", "if-match");
    assertThat(h.firstValue("Access-Control-Max-Age")).hasValue("86400");
    assertThat(values(preflight, "Vary")).contains("Origin");
    assertThat(h.firstValue("Content-Encoding")).isEmpty();

    // The answer itself: the origin allowed, the headers a page needs exposed, Vary again.
    HttpResponse<byte[]> get = send("GET", "/v1/clock", "Origin", ORIGIN);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(values(get, "Access-Control-Expose-Headers")).contains("ETag", "Location");
    assertThat(values(get, "Vary")).contains("Origin");

    // Without an Origin there are no CORS headers, so a cache must know the answers differ.
    HttpResponse<byte[]> sameOrigin = send("GET", "/v1/clock");
    assertThat(sameOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(values(sameOrigin, "Vary")).contains("Origin");
  }

  @Test
  void ifNoneMatchWithTheCurrentETagIs304WithoutABody() {
    String party = Fixtures.party(key);
    String etag =
        as(key)
            .get("/v1/parties/" + party)
            .then()
            .statusCode(200)
            .header("ETag", org.hamcrest.Matchers.notNullValue())
            .extract()
            .header("ETag");

    // Through the contract-checked client: 304 is a documented answer.
    as(key)
        .header("If-None-Match", etag)
        .get("/v1/parties/" + party)
        .then()
        .statusCode(304)
        .header("ETag", etag);

    HttpResponse<byte[]> same = send("GET", "/v1/parties/" + party, "If-None-Match", etag);
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();
    assertThat(same.headers().firstValue("ETag")).hasValue(etag);
    // Weak comparison, lists and * (RFC 9110 §13.1.2).
    assertThat(send("GET", "/v1/parties/" + party, "If-None-Match", "W/" + etag).statusCode())
        .isEqualTo(304);
    assertThat(send("GET", "/v1/parties/" + party, "If-None-Match", "\"99\", " + etag).statusCode())
        .isEqualTo(304);
    assertThat(send("GET", "/v1/parties/" + party, "If-None-Match", "*").statusCode())
        .isEqualTo(304);
    assertThat(send("GET", "/v1/parties/" + party, "If-None-Match", "\"99\"").statusCode())
        .isEqualTo(200);

    // A change moves the ETag: the old one now gets the new resource.
    as(key)
        .contentType("application/merge-patch+json")
        .header("If-Match", etag)
        .body(Map.of("displayName", "Renamed"))
        .patch("/v1/parties/" + party)
        .then()
        .statusCode(200);
    HttpResponse<byte[]> changed = send("GET", "/v1/parties/" + party, "If-None-Match", etag);
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    assertThat(new String(changed.body(), StandardCharsets.UTF_8)).contains("Renamed");

    // Trades too; and only reads are conditional in this way.
    String other = Fixtures.party(key);
    String trade = Fixtures.trade(key, party, other, null);
    String tradeTag = as(key).get("/v1/trades/" + trade).then().extract().header("ETag");
    as(key).header("If-None-Match", tradeTag).get("/v1/trades/" + trade).then().statusCode(304);
    as(key)
        .header("If-None-Match", tradeTag)
        .body(Map.of("type", "request_reply", "partyId", party))
        .post("/v1/trades/" + trade + "/actions")
        .then()
        .statusCode(200);
  }

  @Test
  void methodNotAllowedNamesTheMethodsThePathTakes() {
    String party = Fixtures.party(key);
    assertAllow("DELETE", "/v1/trades", "GET", "POST", "HEAD", "OPTIONS");
    assertAllow("PUT", "/v1/parties/" + party, "GET", "PATCH", "HEAD", "OPTIONS");
    // A literal path wins over a templated one beside it.
    assertAllow("POST", "/v1/complaints/stats", "GET", "HEAD", "OPTIONS");
    assertAllow("DELETE", "/v1/clock", "GET", "HEAD", "OPTIONS");

    // What Allow names is really served.
    for (String method : List.of("GET", "HEAD", "OPTIONS")) {
      assertThat(send(method, "/v1/clock").statusCode()).as(method).isEqualTo(200);
    }
    as(key)
        .put("/v1/parties/" + party)
        .then()
        .statusCode(405)
        .contentType("application/problem+json")
        .header("Allow", "GET, PATCH, HEAD, OPTIONS");
  }

  private void assertAllow(String method, String path, String... allowed) {
    HttpResponse<byte[]> r = send(method, path);
    assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(values(r, "Allow")).containsExactly(allowed);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("method-not-allowed");
  }

  private HttpResponse<byte[]> send(String method, String path, String... headers) {
    return send(HTTP, method, path, headers);
  }

  private HttpResponse<byte[]> send(
      HttpClient client, String method, String path, String... headers) {
    var request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
            .header("Authorization", "Bearer " + key)
            .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every comma-separated value of every occurrence of a header. */
  private static List<String> values(HttpResponse<?> r, String name) {
    return r.headers().allValues(name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static List<String> lower(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(java.util.Locale.ROOT)).toList();
  }
}

package dev.nudge.common;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.Api;
import dev.nudge.support.Contract;
import dev.nudge.support.Contract.Operation;
import dev.nudge.support.EveryResource;
import dev.nudge.support.LogCapture;
import dev.nudge.support.RawHttp;
import dev.nudge.support.Receiver;
import dev.nudge.support.Receiver.Answer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Access to every endpoint of the contract (SPEC §5) by every kind of credential a caller may hold:
 * none, a malformed one, a revoked key, another tenant's key, the admin key, a tenant key on the
 * operator's paths. Each refusal is exactly the status SPEC §5 gives, as problem+json, and never
 * carries data. Keys, webhook secrets and party tokens appear in no response after the one that
 * created them, and in no log line. (Party tokens have their own matrix in {@code
 * PartyTokenAccessTest}.)
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> MALFORMED =
      List.of(
          "Bearer",
          "Bearer ",
          "Basic bms6c2VjcmV0",
          "Token nk_live_0123456789",
          "Bearer nk_live_not_a_key_of_anyone_0123456789",
          "Bearer nk_party_not_a_token_0123456789",
          "Bearer two words",
          "Bearer \u00e9t\u00e9");

  private static LogCapture log;
  private static EveryResource a;
  private static String keyB;
  private static String revokedKey;

  /** Every secret made in this test, each shown once when it was made. */
  private static final List<String> SECRETS = new ArrayList<>();

  /**
   * Once, before the first test (not in a {@code @BeforeAll}: Quarkus points RestAssured at the
   * application only around each test).
   */
  @BeforeEach
  void world() {
    if (a != null) {
      return;
    }
    log = LogCapture.install();
    a = EveryResource.create();
    JsonPath b =
        admin()
            .body(Map.of("name", "Tenant B", "mode", "test"))
            .post("/v1/tenants")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    keyB = b.getString("apiKey");
    JsonPath second =
        admin()
            .post("/v1/tenants/" + a.tenantId + "/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    revokedKey = second.getString("apiKey");
    admin()
        .delete("/v1/tenants/" + a.tenantId + "/api-keys/" + second.getString("id"))
        .then()
        .statusCode(204);
    SECRETS.addAll(List.of(a.key, keyB, revokedKey, a.endpointSecret, a.token.getString("token")));
  }

  @AfterAll
  static void removeCapture() {
    if (log != null) {
      log.close();
    }
  }

  private static RawHttp.Answer call(Operation op, String authorization) {
    String path = op.concrete(a.ids());
    StringBuilder r = new StringBuilder();
    r.append(op.method()).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    if (authorization != null) {
      r.append("Authorization: ").append(authorization).append("\r\n");
    }
    // A valid body (the contract's example), so that a refusal is about the credential and the
    // resource, not about the body.
    String body = op.takesBody() ? op.exampleBody() : null;
    if (body != null) {
      r.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n");
    }
    r.append("Connection: close\r\n\r\n");
    if (body != null) {
      r.append(body);
    }
    return RawHttp.send(RestAssured.port, r.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void everyEndpointAnswersEachCredentialAsTheSpecSays() {
    List<String> wrong = new ArrayList<>();
    List<String> ownIds = new ArrayList<>(a.ids().values());
    ownIds.removeAll(List.of("en", "gentle", "high", "trade"));
    int checked = 0;
    for (Operation op : Contract.operations()) {
      checked++;
      String name = op.name();
      String path = op.concrete(a.ids());
      expect(wrong, name + " (no key)", call(op, null), 401, path, ownIds);
      for (String bad : MALFORMED) {
        expect(wrong, name + " (" + bad + ")", call(op, bad), 401, path, ownIds);
      }
      expect(wrong, name + " (revoked key)", call(op, "Bearer " + revokedKey), 401, path, ownIds);
      RawHttp.Answer admin = call(op, "Bearer " + Api.ADMIN_KEY);
      RawHttp.Answer other = call(op, "Bearer " + keyB);
      if (op.tenantManagement()) {
        expect(wrong, name + " (tenant key)", call(op, "Bearer " + a.key), 403, path, ownIds);
        expect(wrong, name + " (another tenant's key)", other, 403, path, ownIds);
        if (admin.status() == 401 || admin.status() == 403) {
          wrong.add(name + " (admin key): " + admin.status());
        }
      } else {
        expect(wrong, name + " (admin key)", admin, 403, path, ownIds);
        boolean owned =
            EveryResource.OWNED.stream().anyMatch(p -> op.path().contains("{" + p + "}"));
        if (owned) {
          expect(wrong, name + " (another tenant's key)", other, 404, path, ownIds);
        } else if (other.status() == 401 || other.status() == 403 || other.status() == 404) {
          wrong.add(name + " (another tenant's key, its own data): " + other.status());
        } else {
          noneOf(wrong, name + " (another tenant's key, its own data)", other, ownIds);
        }
      }
    }
    assertThat(checked).isGreaterThan(50);
    assertThat(wrong).isEmpty();
  }

  /** A refusal with exactly {@code status}, as problem+json, carrying no data of tenant A. */
  private static void expect(
      List<String> wrong,
      String what,
      RawHttp.Answer answer,
      int status,
      String path,
      List<String> ownIds) {
    if (answer.status() != status) {
      wrong.add(what + ": " + answer.status() + " " + cut(answer.body()));
      return;
    }
    if (!answer.contentType().startsWith("application/problem+json")) {
      wrong.add(what + ": content type " + answer.contentType());
      return;
    }
    try {
      JsonNode p = JSON.readTree(answer.body());
      for (String field : List.of("type", "title", "status", "detail", "instance")) {
        if (!p.hasNonNull(field)) {
          wrong.add(what + ": no " + field);
        }
      }
      if (p.has("data") || p.has("id")) {
        wrong.add(what + ": data in a refusal " + cut(answer.body()));
      }
    } catch (Exception e) {
      wrong.add(what + ": not JSON " + cut(answer.body()));
    }
    if (status == 401 && answer.headers().get("www-authenticate") == null) {
      wrong.add(what + ": 401 without WWW-Authenticate");
    }
    List<String> notInPath = ownIds.stream().filter(id -> !path.contains(id)).toList();
    noneOf(wrong, what, answer, notInPath);
  }

  private static void noneOf(
      List<String> wrong, String what, RawHttp.Answer answer, List<String> ids) {
    for (String id : ids) {
      if (answer.body().contains(id)) {
        wrong.add(what + ": shows " + id);
      }
    }
    for (String secret : SECRETS) {
      if (answer.body().contains(secret)) {
        wrong.add(what + ": shows a secret");
      }
    }
  }

  @Test
  @Order(2)
  void secretsAppearInNoResponseAfterTheOneThatMadeThem() {
    String rotated =
        as(a.key)
            .post("/v1/webhook-endpoints/" + a.endpoint + "/rotate-secret")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    SECRETS.add(rotated);
    List<String> wrong = new ArrayList<>();
    int read = 0;
    for (Operation op : Contract.operations()) {
      if (!op.method().equals("GET")) {
        continue;
      }
      String key = op.tenantManagement() ? Api.ADMIN_KEY : a.key;
      RawHttp.Answer answer = call(op, "Bearer " + key);
      read++;
      for (String secret : SECRETS) {
        if (answer.body().contains(secret)) {
          wrong.add(op.name() + " (" + answer.status() + ") shows a secret");
        }
      }
    }
    assertThat(read).isGreaterThan(30);
    assertThat(wrong).isEmpty();
  }

  @Test
  @Order(3)
  void secretsAppearInNoLogLine() {
    // Use every secret where the service handles it: deliveries signed with the endpoint's
    // secrets that fail and are retried, tokens in the query, refused and revoked credentials.
    try (Receiver failing = new Receiver()) {
      failing.respond(r -> new Answer(500, Map.of(), "boom"));
      as(a.key)
          .body(Map.of("url", failing.url()))
          .patch("/v1/webhook-endpoints/" + a.endpoint)
          .then()
          .statusCode(200);
      dev.nudge.support.Fixtures.aComplaint(a.key).open();
      await().atMost(Duration.ofSeconds(30)).until(() -> failing.requests().size() >= 1);
      // This is a test-mode tenant: its retries fall due on its clock (README, "Retries"). Once
      // the failed attempt is recorded, moving the clock past the retry sends it again.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  as(a.key)
                      .get("/v1/webhook-endpoints/" + a.endpoint + "/attempts")
                      .then()
                      .statusCode(200)
                      .extract()
                      .<List<Integer>>path("data.httpStatus")
                      .contains(500));
      as(a.key).body(Map.of("by", "PT1M")).post("/v1/clock/advance").then().statusCode(200);
      await().atMost(Duration.ofSeconds(30)).until(() -> failing.requests().size() >= 2);
    }
    String token = a.token.getString("token");
    RestAssured.given()
        .queryParam("token", token)
        .get("/v1/parties/" + a.partyA + "/reminders.ics")
        .then()
        .statusCode(200);
    as(a.key)
        .delete("/v1/parties/" + a.partyA + "/tokens/" + a.token.getString("id"))
        .then()
        .statusCode(204);
    RestAssured.given()
        .queryParam("token", token)
        .get("/v1/parties/" + a.partyA + "/reminders.ics")
        .then()
        .statusCode(401);
    as(revokedKey).get("/v1/parties").then().statusCode(401);
    as(keyB).get("/v1/parties/" + a.partyA).then().statusCode(404);

    // The capture sees what the service logs (same log context), at DEBUG for the service's own
    // categories while it is installed.
    org.jboss.logging.Logger.getLogger("dev.nudge.AccessMatrixTest").debug("capture canary");
    assertThat(log.records())
        .as("log records captured")
        .anyMatch(r -> r.contains("capture canary"));
    assertThat(log.containing(SECRETS)).as("log records showing a secret").isEmpty();
  }

  private static String cut(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "…";
  }
}

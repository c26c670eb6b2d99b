package dev.nudge.common;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.newTenant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.nudge.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConventionsApiTest {

  private static final String PROBLEM = "application/problem+json";

  @Test
  void malformedJsonIs400WithoutInternals() {
    String body =
        admin()
            .body("{\"name\": ")
            .post("/v1/tenants")
            .then()
            .statusCode(400)
            .contentType(PROBLEM)
            .body("type", endsWith("/validation-failed"))
            .body("errors[0].field", equalTo("body"))
            .extract()
            .asString();
    assertThat(body, not(containsString("Exception")));
    assertThat(body, not(containsString("jackson")));
  }

  @Test
  void unknownFieldsAndWrongTypesAre400NamingTheField() {
    admin()
        .body(Map.of("name", "x", "mode", "live", "colour", "blue"))
        .post("/v1/tenants")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", hasItem("colour"));
    admin()
        .body("{\"name\": {\"a\": 1}}")
        .post("/v1/tenants")
        .then()
        .statusCode(400)
        .body("errors.field", hasItem("name"));
    admin().body("[1,2]").post("/v1/tenants").then().statusCode(400).contentType(PROBLEM);
  }

  @Test
  void duplicateKeysAndFractionsForIntegersAre400() {
    String key = dev.nudge.support.Api.newTenant("test");
    dev.nudge.support.Api.as(key)
        .body("{\"by\": \"P1D\", \"by\": \"P2D\"}")
        .post("/v1/clock/advance")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("type", endsWith("/validation-failed"));
    dev.nudge.support.Api.as(key)
        .body("{\"name\": \"Half\", \"maxReminders\": 1.5}")
        .post("/v1/cancellation-policies")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", hasItem("maxReminders"));
  }

  @Test
  void valuesPostgresCannotStoreAre400AndChangeNothing() {
    String key = dev.nudge.support.Api.newTenant("test");
    dev.nudge.support.Api.as(key)
        .body(Map.of("handle", "@a\u0000b", "locale", "en", "timeZone", "UTC"))
        .post("/v1/parties")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("detail", containsString("U+0000"));
    dev.nudge.support.Api.as(key)
        .urlEncodingEnabled(false)
        .get("/v1/trades/trd_a%00b")
        .then()
        .statusCode(400)
        .contentType(PROBLEM);
    dev.nudge.support.Api.as(key)
        .get("/v1/parties")
        .then()
        .statusCode(200)
        .body("data", org.hamcrest.Matchers.empty());
  }

  @Test
  void wrongContentTypeIs415() {
    admin()
        .contentType(ContentType.TEXT)
        .body("name=x")
        .post("/v1/tenants")
        .then()
        .statusCode(415)
        .contentType(PROBLEM)
        .body("type", endsWith("/unsupported-media-type"));
  }

  @Test
  void bodiesOver64KiBAre413WithAndWithoutContentLength() {
    String big = "{\"name\": \"" + "a".repeat(70_000) + "\"}";
    admin()
        .body(big)
        .post("/v1/tenants")
        .then()
        .statusCode(413)
        .contentType(PROBLEM)
        .body("type", endsWith("/payload-too-large"));
    admin()
        .body(new java.io.ByteArrayInputStream(big.getBytes()))
        .post("/v1/tenants")
        .then()
        .statusCode(413)
        .contentType(PROBLEM)
        .body("type", endsWith("/payload-too-large"));
  }

  @Test
  void unknownPathsAndMethodsAreProblems() {
    String key = newTenant("live");
    Api.as(key)
        .get("/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("type", endsWith("/not-found"));
    Api.as(key).delete("/v1/events").then().statusCode(405).contentType(PROBLEM);
  }

  @Test
  void idempotentRetryReplaysTheFirstAnswer() {
    String key = "idem-" + System.nanoTime();
    Map<String, String> body = Map.of("name", "Idempotent shop", "mode", "live");
    var first =
        admin()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/v1/tenants")
            .then()
            .statusCode(201)
            .extract();
    var again =
        admin()
            .header("Idempotency-Key", key)
            .body(body)
            .post("/v1/tenants")
            .then()
            .statusCode(201)
            .header("Idempotent-Replayed", "true")
            .extract();
    assertThat(again.path("id"), equalTo(first.path("id")));
    assertThat(again.path("apiKey"), equalTo(first.path("apiKey")));
    assertThat(again.header("Location"), equalTo(first.header("Location")));
  }

  @Test
  void reusingAKeyWithAnotherBodyIs422() {
    String key = "idem-" + System.nanoTime();
    admin()
        .header("Idempotency-Key", key)
        .body(Map.of("name", "One", "mode", "live"))
        .post("/v1/tenants")
        .then()
        .statusCode(201);
    admin()
        .header("Idempotency-Key", key)
        .body(Map.of("name", "Two", "mode", "live"))
        .post("/v1/tenants")
        .then()
        .statusCode(422)
        .contentType(PROBLEM)
        .body("type", endsWith("/idempotency-key-reuse"));
  }

  @Test
  void refusedRequestsAreNotStoredSoTheirRetryRunsAgain() {
    String key = "idem-" + System.nanoTime();
    admin()
        .header("Idempotency-Key", key)
        .body(Map.of("mode", "x"))
        .post("/v1/tenants")
        .then()
        .statusCode(400);
    admin()
        .header("Idempotency-Key", key)
        .body(Map.of("mode", "x"))
        .post("/v1/tenants")
        .then()
        .statusCode(400)
        .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue())
        .body("type", endsWith("/validation-failed"));
  }

  @Test
  void concurrentDuplicatesCreateOneResource() throws Exception {
    String key = "idem-" + System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      String json = "{\"name\":\"Concurrent\",\"mode\":\"live\"}";
      List<Callable<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(
            () ->
                Api.raw(
                    "POST", "/v1/tenants", Api.ADMIN_KEY, json, Map.of("Idempotency-Key", key)));
      }
      Set<String> ids = new HashSet<>();
      int replayed = 0;
      for (Future<java.net.http.HttpResponse<String>> f : pool.invokeAll(calls)) {
        var response = f.get();
        assertThat(response.statusCode(), equalTo(201));
        ids.add(io.restassured.path.json.JsonPath.from(response.body()).getString("id"));
        replayed += response.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
      }
      assertThat(replayed, equalTo(7));
      assertThat(ids.size(), equalTo(1));
    } finally {
      pool.shutdownNow();
    }
  }
}

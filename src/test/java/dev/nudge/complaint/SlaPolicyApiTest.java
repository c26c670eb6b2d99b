package dev.nudge.complaint;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static dev.nudge.support.Fixtures.aComplaint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.nudge.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SlaPolicyApiTest {

  @Test
  void theDefaultsAreTheSpecsPerSeverity() {
    String key = newTenant("test");
    JsonPath all = as(key).get("/v1/sla-policies").then().statusCode(200).extract().jsonPath();
    assertThat(all.getList("data.severity", String.class))
        .containsExactly("low", "normal", "high", "critical");
    assertThat(all.getList("data.firstResponseTarget", String.class))
        .containsExactly("PT4H", "PT1H", "PT30M", "PT15M");
    assertThat(all.getList("data.firstResponseDeadline", String.class))
        .containsExactly("P1D", "P1D", "PT4H", "PT1H");
    assertThat(all.getList("data.nextReplyTarget", String.class))
        .containsExactly("PT4H", "PT1H", "PT30M", "PT15M");
    assertThat(all.getList("data.followUpAfter", String.class)).containsOnly("P3D");
    assertThat(all.getList("data.source", String.class)).containsOnly("default");
  }

  @Test
  void aNewPolicyAppliesToCasesOpenedAfterItOnly() {
    String key = newTenant("test");
    String before = aComplaint(key).severity("high").open();
    Instant now = Fixtures.now(key);
    as(key)
        .body(Map.of("firstResponseTarget", "PT20M", "firstResponseDeadline", "PT2H"))
        .put("/v1/sla-policies/high")
        .then()
        .statusCode(200)
        .body("source", equalTo("tenant"))
        .body("nextReplyTarget", equalTo("PT20M"))
        .body("followUpAfter", equalTo("P3D"));
    String after = aComplaint(key).severity("high").open();
    assertThat(target(key, before)).isEqualTo(now.plus(Duration.ofMinutes(30)));
    assertThat(target(key, after)).isEqualTo(now.plus(Duration.ofMinutes(20)));
    as(key)
        .get("/v1/sla-policies/high")
        .then()
        .statusCode(200)
        .body("firstResponseDeadline", equalTo("PT2H"));
    as(newTenant("test")).get("/v1/sla-policies/high").then().body("source", equalTo("default"));
  }

  @Test
  void badPoliciesAreRefusedWithTheReason() {
    String key = newTenant("test");
    as(key)
        .body(Map.of("firstResponseTarget", "PT2H", "firstResponseDeadline", "PT1H"))
        .put("/v1/sla-policies/normal")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("firstResponseTarget"));
    as(key)
        .body(Map.of("firstResponseTarget", "PT0S", "firstResponseDeadline", "soon"))
        .put("/v1/sla-policies/normal")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("firstResponseTarget", "firstResponseDeadline"));
    as(key)
        .body(Map.of("firstResponseTarget", "PT1H"))
        .put("/v1/sla-policies/normal")
        .then()
        .statusCode(400)
        .body("errors.field", hasItems("firstResponseDeadline"));
    as(key)
        .body(Map.of("firstResponseTarget", "PT1H", "firstResponseDeadline", "PT2H"))
        .put("/v1/sla-policies/urgent")
        .then()
        .statusCode(404);
    assertThat(
            as(key)
                .get("/v1/sla-policies")
                .then()
                .extract()
                .jsonPath()
                .getList("data.source", String.class))
        .isEqualTo(List.of("default", "default", "default", "default"));
  }

  private static Instant target(String key, String id) {
    return Instant.parse(
        as(key).get("/v1/complaints/" + id).then().extract().path("sla.firstResponseTargetAt"));
  }
}

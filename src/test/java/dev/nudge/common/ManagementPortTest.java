package dev.nudge.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

import dev.nudge.support.ProductionLikeProfile;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * With {@code quarkus.management.enabled=true} (README, "Operations"), metrics and health are
 * served on the management port and no longer on the API's.
 */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class ManagementPortTest {

  @TestHTTPResource(value = "/q/metrics", management = true)
  URL metrics;

  @TestHTTPResource(value = "/q/health/ready", management = true)
  URL ready;

  @Test
  void metricsAndHealthMoveToTheManagementPort() {
    assertThat(metrics.getPort()).isNotEqualTo(RestAssured.port);
    given().get(metrics).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    given().get(ready).then().statusCode(200).body(containsString("UP"));
  }

  @Test
  void theApiPortNoLongerServesThem() {
    for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready"}) {
      given()
          .get(path)
          .then()
          .statusCode(404)
          .contentType("application/problem+json")
          .body("type", endsWith("/not-found"));
    }
    // The API itself is unaffected.
    given().get("/q/openapi").then().statusCode(200);
  }
}

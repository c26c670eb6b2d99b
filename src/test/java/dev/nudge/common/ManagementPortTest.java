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

  /** The management interface (its root; only its port is used). */
  @TestHTTPResource(value = "/", management = true)
  URL management;

  private String onManagement(String path) {
    return "http://localhost:" + management.getPort() + path;
  }

  @Test
  void metricsAndHealthMoveToTheManagementPort() {
    assertThat(management.getPort()).isNotEqualTo(RestAssured.port);
    given()
        .get(onManagement("/q/metrics"))
        .then()
        .statusCode(200)
        .body(containsString("jvm_memory_used_bytes"));
    given().get(onManagement("/q/health/ready")).then().statusCode(200).body(containsString("UP"));
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

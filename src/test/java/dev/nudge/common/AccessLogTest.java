package dev.nudge.common;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newParty;
import static dev.nudge.support.Api.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nudge.support.LogCapture;
import dev.nudge.support.ProductionLikeProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the HTTP access log on ({@code quarkus.http.access-log.enabled=true}), a request's line is
 * logged with its path but without its query, where party tokens travel ({@code ?token=}).
 */
@QuarkusTest
@TestProfile(ProductionLikeProfile.class)
class AccessLogTest {

  private static final String CATEGORY = "io.quarkus.http.access-log";

  @Test
  void theAccessLogWritesThePathWithoutTheQueryAndItsToken() {
    try (LogCapture log = LogCapture.install()) {
      String key = newTenant("test");
      String party = newParty(key, "@log" + System.nanoTime());
      String token =
          as(key)
              .body(Map.of())
              .post("/v1/parties/" + party + "/tokens")
              .then()
              .statusCode(201)
              .extract()
              .path("token");
      String feed = "/v1/parties/" + party + "/reminders.ics";
      given().queryParam("token", token).get(feed).then().statusCode(200);
      given().queryParam("token", token + "x").get(feed).then().statusCode(401);

      String line = "\"GET " + feed + " HTTP/1.1\" ";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> accessLog(log).stream().filter(r -> r.contains(line)).count() == 2);
      List<String> lines = accessLog(log);
      assertThat(lines).anyMatch(r -> r.contains(line + "200 "));
      assertThat(lines).anyMatch(r -> r.contains(line + "401 "));
      assertThat(lines).noneMatch(r -> r.contains(token)).noneMatch(r -> r.contains("token="));
      assertThat(lines).noneMatch(r -> r.contains(key));
    }
  }

  private static List<String> accessLog(LogCapture log) {
    return log.records().stream().filter(r -> r.contains(" " + CATEGORY + ": ")).toList();
  }
}

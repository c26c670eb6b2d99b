package dev.nudge.tenant;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.anonymous;
import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenantResponse;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantApiTest {

  @Test
  void adminCreatesTenantAndItsKeyWorksOnDataPaths() {
    var created = newTenantResponse("live");
    String key = created.path("apiKey");
    org.hamcrest.MatcherAssert.assertThat(key, startsWith("nk_live_"));
    org.hamcrest.MatcherAssert.assertThat(created.header("Location"), notNullValue());
    as(key).get("/v1/events").then().statusCode(200);
  }

  @Test
  void missingOrWrongKeysAre401() {
    anonymous().get("/v1/events").then().statusCode(401).body("type", endsWith("unauthorized"));
    as("nk_live_nonsense").get("/v1/events").then().statusCode(401).body("status", equalTo(401));
    anonymous()
        .header("Authorization", "Basic abc")
        .get("/v1/events")
        .then()
        .statusCode(401)
        .body("type", endsWith("unauthorized"));
  }

  @Test
  void tenantKeyCannotManageTenantsAndAdminKeyCannotReadTenantData() {
    String key = newTenantResponse("live").path("apiKey");
    as(key)
        .body(Map.of("name", "x", "mode", "live"))
        .post("/v1/tenants")
        .then()
        .statusCode(403)
        .body("type", endsWith("forbidden"));
    admin().get("/v1/events").then().statusCode(403).body("type", endsWith("forbidden"));
  }

  @Test
  void keysCanBeAddedListedAndRevoked() {
    var tenant = newTenantResponse("test");
    String tenantId = tenant.path("id");
    var second =
        admin().post("/v1/tenants/" + tenantId + "/api-keys").then().statusCode(201).extract();
    String secondKey = second.path("apiKey");
    String secondId = second.path("id");
    as(secondKey).get("/v1/events").then().statusCode(200);

    admin()
        .get("/v1/tenants/" + tenantId + "/api-keys")
        .then()
        .statusCode(200)
        .body("data.id", hasItem(secondId))
        .body("data[0].apiKey", nullValue())
        .body("data[0].prefix", startsWith("nk_test_"));

    admin().delete("/v1/tenants/" + tenantId + "/api-keys/" + secondId).then().statusCode(204);
    as(secondKey).get("/v1/events").then().statusCode(401);
    as((String) tenant.path("apiKey")).get("/v1/events").then().statusCode(200);
    admin()
        .delete("/v1/tenants/" + tenantId + "/api-keys/key_unknown")
        .then()
        .statusCode(404)
        .body("type", endsWith("not-found"));
  }

  @Test
  void tenantsAreListedWithCursorPagination() {
    newTenantResponse("live");
    newTenantResponse("live");
    var first = admin().queryParam("limit", 1).get("/v1/tenants").then().statusCode(200).extract();
    String cursor = first.path("nextCursor");
    org.hamcrest.MatcherAssert.assertThat(cursor, notNullValue());
    String firstId = first.path("data[0].id");
    admin()
        .queryParam("limit", 1)
        .queryParam("cursor", cursor)
        .get("/v1/tenants")
        .then()
        .statusCode(200)
        .body("data[0].id", not(equalTo(firstId)));
    admin().queryParam("limit", 0).get("/v1/tenants").then().statusCode(400);
    admin().queryParam("limit", 201).get("/v1/tenants").then().statusCode(400);
    admin().queryParam("cursor", "garbage!").get("/v1/tenants").then().statusCode(400);
  }

  @Test
  void createValidatesNameAndMode() {
    admin()
        .body(Map.of("mode", "sandbox"))
        .post("/v1/tenants")
        .then()
        .statusCode(400)
        .body("type", endsWith("validation-failed"))
        .body("errors.field", hasItem("name"))
        .body("errors.field", hasItem("mode"));
  }

  private static org.hamcrest.Matcher<String> endsWith(String s) {
    return org.hamcrest.Matchers.endsWith(s);
  }
}

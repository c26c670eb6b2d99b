package dev.nudge.support;

import static dev.nudge.support.Api.admin;
import static dev.nudge.support.Api.as;

import io.restassured.path.json.JsonPath;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant with one resource of every kind the contract's paths name, for tests that call every
 * endpoint ({@link Contract#operations()}): {@link #ids()} fills each path parameter.
 */
public final class EveryResource {

  public final String key;
  public final String tenantId;
  public final String partyA;
  public final String partyB;
  public final String trade;
  public final String complaint;
  public final String endpoint;
  public final String endpointSecret;
  public final JsonPath token;
  private final Map<String, String> ids = new LinkedHashMap<>();

  /** A new test-mode tenant and its resources. */
  public static EveryResource create() {
    JsonPath tenant =
        admin()
            .body(Map.of("name", "Every resource " + System.nanoTime(), "mode", "test"))
            .post("/v1/tenants")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    return new EveryResource(tenant.getString("apiKey"), tenant.getString("id"));
  }

  private EveryResource(String key, String tenantId) {
    this.key = key;
    this.tenantId = tenantId;
    partyA = Fixtures.aParty(key).handle("@aki").locale("ja").timeZone("Asia/Tokyo").create();
    partyB = Fixtures.aParty(key).handle("@ben").create();
    trade = Fixtures.aTrade(key, partyA, partyB).swap().create();
    complaint = Fixtures.aComplaint(key).open();
    JsonPath ep =
        as(key)
            .body(Map.of("url", "http://127.0.0.1:9/hook", "eventTypes", List.of("*")))
            .post("/v1/webhook-endpoints")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    endpoint = ep.getString("id");
    endpointSecret = ep.getString("secret");
    token =
        as(key)
            .body(Map.of())
            .post("/v1/parties/" + partyA + "/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    String event = as(key).get("/v1/events").then().statusCode(200).extract().path("data[0].id");
    String spareKey =
        admin()
            .post("/v1/tenants/" + tenantId + "/api-keys")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    ids.put("partyId", partyA);
    ids.put("tradeId", trade);
    ids.put("complaintId", complaint);
    ids.put("endpointId", endpoint);
    ids.put("eventId", event);
    ids.put("tokenId", token.getString("id"));
    ids.put("tenantId", tenantId);
    ids.put("keyId", spareKey);
    ids.put("policyId", Fixtures.policy(key, Map.of()));
    ids.put("locale", "en");
    ids.put("tone", "gentle");
    ids.put("severity", "high");
    ids.put("name", "trade");
  }

  /** A value for each path parameter of the contract. */
  public Map<String, String> ids() {
    return Map.copyOf(ids);
  }

  /** The path parameters that name one of this tenant's own resources (not a setting's name). */
  public static final List<String> OWNED =
      List.of("partyId", "tradeId", "complaintId", "endpointId", "eventId", "tokenId", "policyId");
}

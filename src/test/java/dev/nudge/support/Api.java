package dev.nudge.support;

import static io.restassured.RestAssured.given;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/**
 * HTTP helpers for the tests. Every response any test receives is checked against {@code
 * openapi/openapi.yaml}, so the contract cannot drift from the code.
 */
public final class Api {

  public static final String ADMIN_KEY = "nk_admin_test_only_key";

  private static final OpenApiValidationFilter CONTRACT =
      new OpenApiValidationFilter(
          OpenApiInteractionValidator.createForInlineApiSpecification(contract())
              .withResolveCombinators(true)
              .withLevelResolver(
                  LevelResolver.create()
                      // Tests send bad requests on purpose; what must hold is every answer.
                      .withLevel("validation.request", ValidationReport.Level.IGNORE)
                      .withLevel("validation.response", ValidationReport.Level.ERROR)
                      .build())
              .build());

  static {
    RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
  }

  private Api() {}

  private static String contract() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("openapi/openapi.yaml"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static RequestSpecification anonymous() {
    return given().filter(CONTRACT).contentType(ContentType.JSON);
  }

  public static RequestSpecification admin() {
    return as(ADMIN_KEY);
  }

  public static RequestSpecification as(String key) {
    return anonymous().header("Authorization", "Bearer " + key);
  }

  /**
   * Sends one raw request with the JDK client; RestAssured is not safe to share across threads, so
   * concurrency tests use this.
   */
  public static java.net.http.HttpResponse<String> raw(
      String method, String path, String key, String body, Map<String, String> headers) {
    var builder =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + RestAssured.port + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    try {
      return HTTP.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  /** A new tenant; returns its API key. */
  public static String newTenant(String mode) {
    return newTenantResponse(mode).path("apiKey");
  }

  public static ExtractableResponse<Response> newTenantResponse(String mode) {
    return admin()
        .body(Map.of("name", "Tenant " + System.nanoTime(), "mode", mode))
        .post("/v1/tenants")
        .then()
        .statusCode(201)
        .extract();
  }

  /** A party of the tenant with this key; returns its id. */
  public static String newParty(String key, String handle) {
    return Fixtures.aParty(key).handle(handle).create();
  }
}

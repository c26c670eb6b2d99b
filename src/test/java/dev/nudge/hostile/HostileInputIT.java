package dev.nudge.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.support.PackagedService;
import dev.nudge.support.Property;
import dev.nudge.support.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at scale, against the packaged service in the production profile: thousands of
 * generated malformed or extreme requests across every operation of {@code openapi/openapi.yaml}
 * (see {@link Requests}). For each: no 5xx; every error is problem+json with {@code type, title,
 * status, detail, instance} (and {@code errors: [{field, message}]} for {@code validation-failed});
 * every answer matches the contract; and a refused request, like any GET, changes nothing in the
 * database ({@link DatabaseState}).
 *
 * <p>Background work is slowed to hourly so that only the requests write. Private webhook targets
 * are allowed so that every webhook URL can point at this machine (the SSRF refusals have their own
 * tests: {@code WebhookSsrfTest}).
 */
class HostileInputIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code quarkus.http.limits.max-initial-line-length}: longer request lines never reach us. */
  private static final int PARSER_MAX_REQUEST_LINE = 65_536;

  private static final AtomicLong SENT = new AtomicLong();
  private static final Map<Integer, Long> STATUSES = new TreeMap<>();

  private static PackagedService service;
  private static DatabaseState state;
  private static Requests requests;
  private static OpenApiInteractionValidator contract;

  @BeforeAll
  static void start() throws Exception {
    service =
        PackagedService.start(
            "hostile-input",
            World.ADMIN_KEY,
            Map.of(
                // Webhook URLs point at this machine only (World.HOOK, HostileValues.URLS).
                "NUDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
                "NUDGE_SCHEDULER_POLL_INTERVAL", "1h",
                "NUDGE_WEBHOOKS_POLL_INTERVAL", "1h",
                "NUDGE_EVENTS_RETENTION_INTERVAL", "1h"));
    requests = new Requests(new World(service.port()));
    state = new DatabaseState(service.db(), service.db());
    contract =
        OpenApiInteractionValidator.createForInlineApiSpecification(
                Files.readString(Path.of("openapi/openapi.yaml")))
            .withResolveCombinators(true)
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .withLevel("validation.response", ValidationReport.Level.ERROR)
                    .build())
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      System.out.printf("hostile requests sent: %d; answers by status: %s%n", SENT.get(), STATUSES);
      if (service != null) {
        assertThat(service.alive()).as("the service is still running").isTrue();
        List<String> errors =
            service.log().lines().filter(l -> l.contains(" ERROR ")).limit(20).toList();
        assertThat(errors).as("ERROR lines in the service's log").isEmpty();
      }
    } finally {
      if (state != null) {
        state.close();
      }
      if (service != null) {
        service.close();
      }
    }
  }

  @Test
  void hostileBodies() {
    Property.check("hostile bodies", 5000, requests.bodies(), HostileInputIT::check);
  }

  @Test
  void hostileIdsAndQueries() {
    Property.check("hostile ids and queries", 3000, requests.targets(), HostileInputIT::check);
  }

  @Test
  void hostileHeadersAndEncodings() {
    Property.check(
        "hostile headers and encodings", 2000, requests.envelopes(), HostileInputIT::check);
  }

  private static void check(HostileRequest r) throws Exception {
    state.begin();
    RawHttp.Answer a;
    try {
      a = RawHttp.send(service.port(), r.bytes());
    } catch (RuntimeException e) {
      state.end();
      throw new AssertionError("no answer to\n" + r + "\n: " + e, e);
    }
    SENT.incrementAndGet();
    STATUSES.merge(a.status(), 1L, Long::sum);

    List<String> wrong = new ArrayList<>();
    if (a.status() >= 500 || a.status() < 200) {
      wrong.add("status " + a.status());
    }
    if (r.requestLineLength() > PARSER_MAX_REQUEST_LINE - 16) {
      // Past the HTTP parser's ceiling the parser answers alone, before Nudge sees the request
      // (README, input rules): only the status is Nudge's to check.
      if (a.status() != 414) {
        wrong.add("past the parser's ceiling: status " + a.status() + ", not 414");
      }
    } else {
      if (a.status() >= 400) {
        wrong.addAll(problemShape(r, a));
      }
      wrong.addAll(againstContract(r, a));
    }
    if (a.status() >= 400 || r.method().equals("GET") || r.method().equals("HEAD")) {
      List<String> changed = new ArrayList<>(state.changed());
      // Deliveries and their attempts are the webhook dispatcher's, which earlier accepted writes
      // (an event's commit, a clock move, an endpoint change) wake at once, whatever the poll
      // interval: they change while later requests run. A refused request writes no event (the
      // event table is still compared), so it starts no delivery.
      // The same goes for the fan-out's cursor; endpoints' failure runs are left out of their
      // rows' digest (DatabaseState), the rest of an endpoint row is compared.
      changed.removeIf(
          t ->
              t.startsWith("webhook_delivery ")
                  || t.startsWith("webhook_attempt ")
                  || t.startsWith("webhook_fanout_cursor "));
      if (savedRefusal(r, a)) {
        // The one change a refusal may make: an Idempotency-Key keeps the action's own refusal
        // for its retries (README, API conventions).
        changed.removeIf(t -> t.startsWith("idempotency_record "));
      }
      if (!changed.isEmpty()) {
        wrong.add("the request changed " + changed);
      }
    } else {
      state.end();
    }
    assertThat(wrong)
        .as("%s%n-> %d %s%n%s", r, a.status(), a.contentType(), cut(a.body()))
        .isEmpty();
  }

  /**
   * A refusal an Idempotency-Key keeps (409 illegal-transition or reminder-cap-reached, the 422 of
   * strict-mode warnings), sent with a key.
   */
  private static boolean savedRefusal(HostileRequest r, RawHttp.Answer a) {
    boolean keyed =
        r.method().equals("POST")
            && r.headers().stream().anyMatch(h -> h.name().equalsIgnoreCase("Idempotency-Key"));
    String type = a.body().contains("\"type\"") ? problemType(a) : "";
    return keyed
        && (a.status() == 409
                && (type.endsWith("/illegal-transition") || type.endsWith("/reminder-cap-reached"))
            || a.status() == 422 && type.endsWith("/unprocessable"));
  }

  private static String problemType(RawHttp.Answer a) {
    try {
      return JSON.readTree(a.body()).path("type").asText();
    } catch (Exception e) {
      return "";
    }
  }

  /** SPEC §5: problem+json with the fields it lists, no internals. */
  private static List<String> problemShape(HostileRequest r, RawHttp.Answer a) {
    List<String> wrong = new ArrayList<>();
    if (!a.contentType().startsWith("application/problem+json")) {
      wrong.add("content type " + a.contentType());
      return wrong;
    }
    if (r.method().equals("HEAD")) {
      return wrong; // the head of the problem answer a GET gets, without its body
    }
    JsonNode p;
    try {
      p = JSON.readTree(a.body());
    } catch (Exception e) {
      wrong.add("body is not JSON");
      return wrong;
    }
    if (!p.path("type").asText().startsWith("https://nudge.dev/problems/")) {
      wrong.add("type " + p.path("type"));
    }
    for (String field : List.of("title", "detail", "instance")) {
      if (!p.path(field).isTextual()) {
        wrong.add("no " + field);
      }
    }
    if (p.path("status").asInt() != a.status()) {
      wrong.add("status field " + p.path("status"));
    }
    if (p.path("type").asText().endsWith("/validation-failed")) {
      JsonNode errors = p.path("errors");
      if (!errors.isArray() || errors.isEmpty()) {
        wrong.add("validation-failed without errors");
      }
      errors.forEach(
          e -> {
            if (!e.path("field").isTextual() || !e.path("message").isTextual()) {
              wrong.add("error entry " + e);
            }
          });
    }
    for (String internal :
        List.of("Exception", "at dev.nudge", "org.hibernate", "io.vertx", "jackson")) {
      if (a.body().contains(internal)) {
        wrong.add("internals in the body: " + internal);
      }
    }
    return wrong;
  }

  private static List<String> againstContract(HostileRequest r, RawHttp.Answer a) {
    Request.Method method;
    try {
      method = Request.Method.valueOf(r.method());
    } catch (IllegalArgumentException e) {
      return List.of();
    }
    if (a.contentType().startsWith("text/event-stream")) {
      return List.of();
    }
    String path;
    try {
      path =
          java.net.URLDecoder.decode(
              r.path().replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return List.of(); // a path that does not decode names no operation of the contract
    }
    // The server removes dot segments (RFC 3986, 5.2.4) before routing: /v1/tenants/. is the
    // list, not the tenant ".".
    try {
      String normal =
          java.net.URI.create("http://h" + path.replace(" ", "%20")).normalize().getPath();
      if (normal != null) {
        path =
            normal.length() > 1 && normal.endsWith("/")
                ? normal.substring(0, normal.length() - 1)
                : normal;
      }
    } catch (IllegalArgumentException e) {
      // not a URI once decoded: validate the path as sent
    }
    SimpleResponse.Builder response = SimpleResponse.Builder.status(a.status()).withBody(a.body());
    a.headers().forEach(response::withHeader);
    if (!a.contentType().isEmpty()) {
      response.withContentType(a.contentType());
    }
    ValidationReport report;
    try {
      report = contract.validateResponse(path, method, response.build());
    } catch (RuntimeException e) {
      return List.of(); // a path the validator cannot even parse is no operation of the contract
    }
    return report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(m -> "contract: " + m.getKey() + " " + m.getMessage())
        .toList();
  }

  private static String cut(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "…";
  }
}

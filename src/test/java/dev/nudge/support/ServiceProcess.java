package dev.nudge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process, for the
 * black-box tests (failsafe {@code *IT}): started with the given environment on a free port, its
 * output in a log file, driven over HTTP.
 */
public final class ServiceProcess implements AutoCloseable {

  public static final String ADMIN_KEY = "nk_admin_black_box_test_only_key_0123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;
  private final Path log;

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar; {@code env} adds to (or, with a null value, removes from) its environment. */
  public static ServiceProcess start(Path log, Map<String, String> env) throws IOException {
    int port = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(java, "-jar", "target/quarkus-app/quarkus-run.jar")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    Map<String, String> environment = pb.environment();
    environment.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("NUDGE_"));
    environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    environment.put("NUDGE_ADMIN_KEY", ADMIN_KEY);
    env.forEach(
        (k, v) -> {
          if (v == null) {
            environment.remove(k);
          } else {
            environment.put(k, v);
          }
        });
    Files.createDirectories(log.getParent());
    return new ServiceProcess(pb.start(), port, log);
  }

  public Process process() {
    return process;
  }

  public int port() {
    return port;
  }

  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /q/health/ready} answers 200; returns how long that took. */
  public Duration awaitReady(Duration within) {
    long start = System.nanoTime();
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(process.isAlive()).as("the service exited: %s", log).isTrue();
              return status("GET", "/q/health/ready", null, null) == 200;
            });
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** An HTTP exchange; the body is sent as JSON when given. */
  public HttpResponse<String> send(String method, String path, String key, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(30));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public int status(String method, String path, String key, Object body)
      throws IOException, InterruptedException {
    return send(method, path, key, body).statusCode();
  }

  /** A POST that must succeed; its JSON answer. */
  public JsonNode post(String key, String path, Object body)
      throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", path, key, body);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  /** A live tenant with two parties and a policy that reminds twice, then cancels on silence. */
  public record Tenant(String key, String seller, String buyer, String policy) {}

  public Tenant tenantWithSilencePolicy(String name) throws IOException, InterruptedException {
    String key =
        post(ADMIN_KEY, "/v1/tenants", Map.of("name", name, "mode", "live")).get("apiKey").asText();
    String seller = party(key);
    String buyer = party(key);
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("name", name + " policy");
    policy.put("maxReminders", 2);
    policy.put("reminderInterval", "PT1H");
    policy.put("minReminderSpacing", "PT1H");
    policy.put("finalGrace", "PT1H");
    policy.put("onSilence", Map.of("reply", "cancel"));
    String policyId = post(key, "/v1/cancellation-policies", policy).get("id").asText();
    return new Tenant(key, seller, buyer, policyId);
  }

  /** A trade of the tenant's awaiting the buyer's reply; its id. */
  public String awaitingTrade(Tenant t, String title) throws IOException, InterruptedException {
    String id =
        post(
                t.key(),
                "/v1/trades",
                Map.of(
                    "title", title,
                    "initiatorId", t.seller(),
                    "counterpartyId", t.buyer(),
                    "policyId", t.policy(),
                    "items", List.of(Map.of("from", "initiator", "description", "Card A"))))
            .get("id")
            .asText();
    post(
        t.key(),
        "/v1/trades/" + id + "/actions",
        Map.of("type", "request_reply", "partyId", t.seller()));
    return id;
  }

  private String party(String key) throws IOException, InterruptedException {
    return post(
            key,
            "/v1/parties",
            Map.of(
                "handle", "@p" + System.nanoTime(),
                "displayName", "Party",
                "locale", "en",
                "timeZone", "UTC",
                "channels", List.of(Map.of("type", "x_dm", "address", "@someone"))))
        .get("id")
        .asText();
  }

  /** SIGKILL of the service alone (a watchdog it started lives on). */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGKILL of the service and every process it started that still runs under it. */
  public void killWithDescendants() throws InterruptedException {
    List<ProcessHandle> all = process.descendants().toList();
    process.destroyForcibly();
    all.forEach(ProcessHandle::destroyForcibly);
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

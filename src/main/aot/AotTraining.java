import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The build's AOT-cache training run (JDK 25 and newer; README, "The two commands"): starts the
 * packaged service on a throwaway embedded PostgreSQL, once to migrate it and once more, recorded
 * with {@code -XX:AOTCacheOutput}, up to the first 200 of /q/health/ready, as a restart of a
 * running service does. SIGTERM ends each start; the JVM writes the cache as it exits.
 *
 * <p>Usage: {@code java AotTraining.java <cache> <data-dir> [JVM option]...}, from the project
 * directory, with the JDK that will run the service (the cache only serves the JVM that wrote it).
 */
public class AotTraining {

  static final String JAR = "target/quarkus-app/quarkus-run.jar";
  static final Duration READY_WITHIN = Duration.ofMinutes(5);

  public static void main(String[] args) throws Exception {
    Path cache = Path.of(args[0]);
    Path data = Path.of(args[1]);
    List<String> options = List.of(args).subList(2, args.length);
    deleteTree(data);
    Files.deleteIfExists(cache);
    start(data, List.of());
    List<String> recorded = new ArrayList<>(options);
    recorded.add("-XX:AOTCacheOutput=" + cache);
    start(data, recorded);
    deleteTree(data);
    if (!Files.isRegularFile(cache)) {
      throw new IllegalStateException("the JVM wrote no AOT cache at " + cache);
    }
    System.out.printf("AOT cache %s (%d MB)%n", cache, Files.size(cache) >> 20);
  }

  /** One start of the service up to readiness, then SIGTERM and its exit. */
  static void start(Path data, List<String> options) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-jar", JAR));
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
    pb.environment().put("NUDGE_DATA_DIR", data.toString());
    pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
    Process service = pb.start();
    try {
      awaitReady(service, port);
    } finally {
      service.destroy();
      if (!service.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
    if (service.waitFor() != 0 && service.exitValue() != 143) {
      throw new IllegalStateException("the training start exited with " + service.exitValue());
    }
  }

  static void awaitReady(Process service, int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("the training start exited with " + service.exitValue());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the HTTP server is not up yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the training start was not ready within " + READY_WITHIN);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}

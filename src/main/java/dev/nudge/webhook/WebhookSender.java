package dev.nudge.webhook;

import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One signed POST per attempt over Vert.x's non-blocking client, to the address the guard checked
 * (the host name only travels in the Host header and TLS SNI). Redirects are not followed.
 *
 * <p>Connections are kept alive and reused: the pool may open as many connections to one server as
 * the replica has requests in flight, so the dispatcher's per-endpoint limit is the only limit a
 * request waits for. Call {@link #send} on the endpoint's own Vert.x context, so that the
 * response's callbacks run on the same thread, right as the response arrives.
 */
@ApplicationScoped
public class WebhookSender {

  static final int RESPONSE_LIMIT = 1024;

  /**
   * Idle pooled connections are closed after this long. Receivers close idle keep-alive connections
   * too (Node.js after 5 s), and a request written to a connection the server is just closing
   * fails; closing ours first avoids that failure.
   */
  private static final int KEEP_ALIVE_SECONDS = 4;

  /**
   * Where one endpoint's requests go: the URL and the checked address, or why it is refused; with
   * what every request to it is built from (the server's socket address, Host, port, scheme and
   * path), worked out once per resolution rather than per request.
   */
  public record Target(
      URI url,
      InetAddress address,
      String refusal,
      long resolvedAtNanos,
      SocketAddress server,
      String host,
      int port,
      boolean https,
      String path) {

    /** Resolves {@code url}'s host and checks the very address that will be connected to. */
    static Target resolve(String url, AddressGuard guard) {
      URI uri = URI.create(url);
      try {
        return of(uri, guard.resolve(uri.getHost()), null);
      } catch (AddressGuard.Refused e) {
        return of(uri, null, e.getMessage());
      }
    }

    private static Target of(URI url, InetAddress address, String refusal) {
      boolean https = "https".equalsIgnoreCase(url.getScheme());
      int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        path += "?" + url.getRawQuery();
      }
      SocketAddress server =
          address == null ? null : SocketAddress.inetSocketAddress(port, address.getHostAddress());
      return new Target(
          url,
          address,
          refusal,
          System.nanoTime(),
          server,
          AddressGuard.stripBrackets(url.getHost()),
          port,
          https,
          path);
    }

    boolean olderThan(Duration age) {
      return System.nanoTime() - resolvedAtNanos > age.toNanos();
    }
  }

  private final HttpClient client;
  private final Vertx vertx;
  private final WebhookConfig config;
  private final Clock clock;

  public WebhookSender(Vertx vertx, WebhookConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout((int) config.timeout().toMillis())
                .setIdleTimeout(0)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setVerifyHost(true)
                .setTryUseCompression(false),
            new PoolOptions().setHttp1MaxSize(config.maxInFlight()));
  }

  Vertx vertx() {
    return vertx;
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** Sends {@code d} to {@code target}; {@code done} is called exactly once, on this context. */
  public void send(Claimed d, Target target, WebhookSigner signer, Consumer<Outcome> done) {
    long started = System.nanoTime();
    if (target.refusal() != null) {
      vertx.runOnContext(v -> done.accept(failure(null, started, target.refusal())));
      return;
    }
    AtomicBoolean finished = new AtomicBoolean();
    Consumer<Outcome> once =
        o -> {
          if (finished.compareAndSet(false, true)) {
            done.accept(o);
          }
        };
    // The timestamp receivers check for freshness: real time, whatever the tenant's clock says.
    long timestamp = clock.instant().getEpochSecond();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(target.server())
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.https())
            .setURI(target.path())
            .setFollowRedirects(false)
            .setIdleTimeout(config.timeout().toMillis())
            .putHeader("content-type", "application/json")
            .putHeader("user-agent", "Nudge-Webhooks/1")
            .putHeader("webhook-id", d.eventId())
            .putHeader("webhook-timestamp", Long.toString(timestamp))
            .putHeader("webhook-signature", signer.sign(d.eventId(), timestamp, d.body()));
    HttpClientRequest[] pending = new HttpClientRequest[1];
    long timer =
        vertx.setTimer(
            config.timeout().toMillis(),
            id -> {
              // Recorded first: the reset fails the request, and that is not the cause.
              once.accept(failure(null, started, "timed out after " + config.timeout()));
              if (pending[0] != null) {
                pending[0].reset();
              }
            });
    Consumer<Outcome> complete =
        o -> {
          vertx.cancelTimer(timer);
          once.accept(o);
        };
    client
        .request(options)
        .compose(
            request -> {
              pending[0] = request;
              if (finished.get()) {
                request.reset();
              }
              return request.send(Buffer.buffer(d.body()));
            })
        .onSuccess(response -> read(response, started, complete))
        .onFailure(e -> complete.accept(failure(null, started, e)));
  }

  /** Keeps the first KiB of the answer and completes when the response has ended. */
  private void read(HttpClientResponse response, long started, Consumer<Outcome> complete) {
    int status = response.statusCode();
    Buffer head = Buffer.buffer();
    try {
      response.handler(
          chunk -> {
            if (head.length() < RESPONSE_LIMIT) {
              head.appendBuffer(
                  chunk.slice(0, Math.min(chunk.length(), RESPONSE_LIMIT - head.length())));
            }
          });
      response.exceptionHandler(e -> complete.accept(failure(null, started, e)));
      response.endHandler(v -> complete.accept(outcome(response, status, head, started)));
    } catch (IllegalStateException ended) {
      // The response ended before the handlers were set (only possible off its context): the
      // status is known, the body is gone.
      complete.accept(outcome(response, status, head, started));
    }
  }

  private Outcome outcome(HttpClientResponse response, int status, Buffer head, long started) {
    boolean ok = status >= 200 && status < 300;
    String error = ok ? null : status >= 300 && status < 400 ? "redirect not followed" : null;
    Duration retryAfter =
        status == 429 || status == 503
            ? RetryPolicy.parseRetryAfter(response.getHeader("Retry-After"), clock.instant())
            : null;
    return new Outcome(
        ok,
        status,
        millis(started),
        new String(head.getBytes(), StandardCharsets.UTF_8),
        error,
        retryAfter);
  }

  static Outcome failure(Integer status, long started, Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return failure(status, started, "connection failed: " + message);
  }

  static Outcome failure(Integer status, long started, String error) {
    return new Outcome(false, status, millis(started), null, error, null);
  }

  private static int millis(long startedNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startedNanos) / 1_000_000);
  }
}

package dev.nudge.webhook;

import dev.nudge.webhook.DeliveryStore.Claimed;
import dev.nudge.webhook.DeliveryStore.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
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
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One signed POST per attempt over Vert.x's non-blocking client, to the address the guard checked
 * (the host name only travels in the Host header and TLS SNI). Redirects are not followed.
 */
@ApplicationScoped
public class WebhookSender {

  static final int RESPONSE_LIMIT = 1024;

  private final HttpClient client;
  private final Vertx vertx;
  private final WebhookConfig config;
  private final Clock clock;

  public WebhookSender(Vertx vertx, WebhookConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    int timeout = (int) config.timeout().toMillis();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setConnectTimeout(timeout)
                .setIdleTimeout(0)
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setTryUseCompression(false),
            new PoolOptions().setHttp1MaxSize(Math.max(8, config.maxInFlightPerEndpoint() * 2)));
  }

  @PreDestroy
  void close() {
    client.close();
  }

  /** Sends {@code d} to {@code address}; the stage always completes, never exceptionally. */
  public CompletionStage<Outcome> send(Claimed d, URI url, InetAddress address) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    AtomicBoolean done = new AtomicBoolean();
    long started = System.nanoTime();
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    long timestamp = Instant.now(clock).getEpochSecond();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setHost(AddressGuard.stripBrackets(url.getHost()))
            .setPort(port)
            .setSsl(https)
            .setURI(path)
            .setFollowRedirects(false)
            .setIdleTimeout(config.timeout().toMillis())
            .putHeader("content-type", "application/json")
            .putHeader("user-agent", "Nudge-Webhooks/1")
            .putHeader("webhook-id", d.eventId())
            .putHeader("webhook-timestamp", Long.toString(timestamp))
            .putHeader(
                "webhook-signature",
                WebhookSigner.sign(d.eventId(), timestamp, d.body(), d.secrets()));
    AtomicReference<HttpClientRequest> pending = new AtomicReference<>();
    long timer =
        vertx.setTimer(
            config.timeout().toMillis(),
            id -> {
              if (done.compareAndSet(false, true)) {
                HttpClientRequest request = pending.get();
                if (request != null) {
                  request.reset();
                }
                result.complete(failure(null, started, "timed out after " + config.timeout()));
              }
            });
    client
        .request(options)
        .compose(
            request -> {
              pending.set(request);
              if (done.get()) {
                request.reset();
              }
              return request.send(Buffer.buffer(d.body(), "UTF-8"));
            })
        .onSuccess(
            response -> {
              Buffer head = Buffer.buffer();
              response.handler(
                  chunk -> {
                    if (head.length() < RESPONSE_LIMIT) {
                      head.appendBuffer(
                          chunk.slice(0, Math.min(chunk.length(), RESPONSE_LIMIT - head.length())));
                    }
                  });
              response.exceptionHandler(
                  e -> finish(done, timer, result, failure(null, started, e)));
              response.endHandler(
                  v -> {
                    int status = response.statusCode();
                    boolean ok = status >= 200 && status < 300;
                    String error =
                        ok ? null : status >= 300 && status < 400 ? "redirect not followed" : null;
                    java.time.Duration retryAfter =
                        status == 429 || status == 503
                            ? RetryPolicy.parseRetryAfter(
                                response.getHeader("Retry-After"), Instant.now(clock))
                            : null;
                    finish(
                        done,
                        timer,
                        result,
                        new Outcome(
                            ok,
                            status,
                            millis(started),
                            new String(head.getBytes(), StandardCharsets.UTF_8),
                            error,
                            retryAfter));
                  });
            })
        .onFailure(e -> finish(done, timer, result, failure(null, started, e)));
    return result;
  }

  private void finish(
      AtomicBoolean done, long timer, CompletableFuture<Outcome> result, Outcome outcome) {
    if (done.compareAndSet(false, true)) {
      vertx.cancelTimer(timer);
      result.complete(outcome);
    }
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

package dev.nudge.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A webhook receiver on 127.0.0.1 (random port) that records requests and answers as told. */
public final class Receiver implements AutoCloseable {

  public record Request(Map<String, String> headers, String body, long receivedAtNanos) {
    public String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  public record Answer(int status, Map<String, String> headers, String body) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), "");
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<Request, Answer> responder = r -> Answer.of(200);

  public Receiver() {
    this(0);
  }

  /** A receiver on this port of 127.0.0.1 (0: any free port), e.g. again after an outage. */
  public Receiver(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(headers, body, System.nanoTime());
            requests.add(request);
            Answer answer = responder.apply(request);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
              exchange.getResponseBody().write(out);
            }
          }
        });
    server.start();
  }

  public Receiver respond(Function<Request, Answer> responder) {
    this.responder = responder;
    return this;
  }

  /** Keeps every request open until {@code release} is counted down (60 s at most), then 200. */
  public Receiver answerOnceReleased(CountDownLatch release) {
    return respond(
        r -> {
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Answer.of(200);
        });
  }

  public String url() {
    return "http://127.0.0.1:" + port() + "/hook";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  public List<Request> requestsFor(String eventId) {
    return requests.stream().filter(r -> eventId.equals(r.header("webhook-id"))).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}

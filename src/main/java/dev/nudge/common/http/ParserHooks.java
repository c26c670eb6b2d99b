package dev.nudge.common.http;

import io.netty.channel.ChannelPipeline;
import io.quarkus.arc.Arc;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Singleton;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Lets {@link ParserRefusals} answer the requests Vert.x's HTTP parser refused, which otherwise get
 * Vert.x's default answer: a bare 400, 414 or 431 with no body.
 *
 * <p>Vert.x hands such a request to the server's {@code invalidRequestHandler}, but Quarkus creates
 * the HTTP server itself and offers no way to set it ({@code HttpServerOptionsCustomizer} sees only
 * the options). What Quarkus does offer is {@link VertxOptionsCustomizer}, and Vert.x calls its
 * tracer for every request the moment its head is read, before it picks the handler for it. So the
 * tracer installed here, which traces nothing, gives a refused request's connection the handler
 * {@code HttpServer.invalidRequestHandler} would have given it (one call on Vert.x's connection,
 * the per-connection form of that setter), and gives a connection that carries a chunked body the
 * {@link ChunkedBodyGuard}. A tracer configured by something else keeps working: it is delegated
 * to.
 */
@Singleton
public class ParserHooks implements VertxOptionsCustomizer {

  private static final Logger LOG = Logger.getLogger(ParserHooks.class);

  @Override
  public void accept(VertxOptions options) {
    TracingOptions tracing = options.getTracingOptions();
    VertxTracerFactory other = tracing == null ? null : tracing.getFactory();
    TracingOptions ours = tracing == null ? new TracingOptions() : tracing;
    Supplier<ParserRefusals> refusals = new Lazy();
    options.setTracingOptions(
        ours.setFactory(o -> new RequestTracer(other == null ? null : other.tracer(o), refusals)));
  }

  /**
   * The CDI bean, looked up on first use: Vert.x is created before the beans that answer. Null
   * while the container is not running (Vert.x's own answers stand then).
   */
  private static final class Lazy implements Supplier<ParserRefusals> {
    private volatile ParserRefusals refusals;

    @Override
    public ParserRefusals get() {
      ParserRefusals r = refusals;
      if (r == null && Arc.container() != null) {
        r = Arc.container().instance(ParserRefusals.class).get();
        refusals = r;
      }
      return r;
    }
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static final class RequestTracer implements VertxTracer {

    private final VertxTracer delegate;
    private final Supplier<ParserRefusals> refusals;

    RequestTracer(VertxTracer delegate, Supplier<ParserRefusals> refusals) {
      this.delegate = delegate;
      this.refusals = refusals;
    }

    @Override
    public Object receiveRequest(
        Context context,
        SpanKind kind,
        TracingPolicy policy,
        Object request,
        String operation,
        Iterable headers,
        TagExtractor tagExtractor) {
      if (request instanceof HttpServerRequest r) {
        try {
          inspect(r);
        } catch (RuntimeException e) {
          // Never let a hook break a request: Vert.x's own answer stands.
          LOG.debug("Could not hook the request's connection", e);
        }
      }
      return delegate == null
          ? null
          : delegate.receiveRequest(
              context, kind, policy, request, operation, headers, tagExtractor);
    }

    private void inspect(HttpServerRequest request) {
      if (!(request.connection() instanceof HttpServerConnection connection)) {
        return;
      }
      if (!request.decoderResult().isSuccess()) {
        connection.invalidRequestHandler(
            r -> {
              ParserRefusals answers = refusals.get();
              if (answers == null) {
                HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(r);
              } else {
                answers.refuse(r);
              }
            });
        return;
      }
      if (request.headers().contains("Transfer-Encoding")
          && connection instanceof ConnectionBase base) {
        ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
        ChunkedBodyGuard guard = (ChunkedBodyGuard) pipeline.get(ChunkedBodyGuard.NAME);
        if (guard == null) {
          guard = new ChunkedBodyGuard(refusals);
          pipeline.addBefore("handler", ChunkedBodyGuard.NAME, guard);
        }
        guard.requestBegins(HeadLimits.instance(request.uri()));
      }
    }

    @Override
    public void sendResponse(
        Context context, Object response, Object payload, Throwable failure, TagExtractor tags) {
      if (delegate != null) {
        delegate.sendResponse(context, response, payload, failure, tags);
      }
    }

    @Override
    public Object sendRequest(
        Context context,
        SpanKind kind,
        TracingPolicy policy,
        Object request,
        String operation,
        java.util.function.BiConsumer headers,
        TagExtractor tagExtractor) {
      return delegate == null
          ? null
          : delegate.sendRequest(context, kind, policy, request, operation, headers, tagExtractor);
    }

    @Override
    public void receiveResponse(
        Context context, Object response, Object payload, Throwable failure, TagExtractor tags) {
      if (delegate != null) {
        delegate.receiveResponse(context, response, payload, failure, tags);
      }
    }

    @Override
    public void close() {
      if (delegate != null) {
        delegate.close();
      }
    }
  }
}

package dev.nudge.common.http;

import dev.nudge.common.problem.ProblemMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Answers a chunked request body that breaks its own coding (a chunk size that is not hexadecimal,
 * a chunk longer than its size) with a problem+json 400, and closes the connection. Vert.x would
 * only close it: the request was already handed to the API when its body broke, and the client
 * would see the connection cut without a word.
 *
 * <p>Sits on the connection's Netty pipeline just before Vert.x's own handler, from the first
 * chunked request on ({@link ParserHooks}). It answers only while the request is still unanswered
 * (no response head written for it yet), and once it has answered it lets nothing else onto the
 * wire, so the client never sees two answers. When the client went away (a body cut short by a
 * closed connection) there is nobody to answer: the failure goes on to Vert.x as before.
 */
final class ChunkedBodyGuard extends ChannelDuplexHandler {

  static final String NAME = "nudge-chunked-body-guard";

  private final Supplier<ParserRefusals> refusals;
  private boolean awaitingBody;
  private boolean answered;
  private String instance = "/";

  ChunkedBodyGuard(Supplier<ParserRefusals> refusals) {
    this.refusals = refusals;
  }

  /** A chunked request has begun (its head was read) and nothing was answered to it yet. */
  void requestBegins(String instance) {
    this.awaitingBody = true;
    this.instance = instance;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (answered) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpContent content) {
      if (!content.decoderResult().isSuccess()
          && awaitingBody
          && ctx.channel().isActive()
          && refusals.get() != null) {
        ReferenceCountUtil.release(msg);
        answer(ctx);
        return;
      }
      if (msg instanceof LastHttpContent) {
        awaitingBody = false;
      }
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (answered) {
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (msg instanceof HttpResponse) {
      awaitingBody = false;
    }
    ctx.write(msg, promise);
  }

  private void answer(ChannelHandlerContext ctx) {
    answered = true;
    ParserRefusals.Answer answer = refusals.get().body(instance);
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    DefaultFullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(body));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, ProblemMapper.PROBLEM_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}

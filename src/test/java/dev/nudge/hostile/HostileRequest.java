package dev.nudge.hostile;

import dev.nudge.support.Contract;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request as bytes on the wire, and the contract operation it aims at. {@link #toString} is
 * what a failure report shows, cut to a readable length.
 */
record HostileRequest(
    Contract.Operation operation,
    String method,
    String target,
    List<Header> headers,
    byte[] body,
    boolean chunked) {

  record Header(String name, String value) {}

  /** The request target without its query, for the contract lookup. */
  String path() {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  /** The length of the request line as sent ({@code METHOD target HTTP/1.1}). */
  int requestLineLength() {
    return method.length() + 1 + target.length() + " HTTP/1.1".length();
  }

  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: localhost\r\n");
    for (Header h : headers) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    if (body != null && !chunked) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (body != null && chunked) {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null && chunked) {
      int step = Math.max(1, body.length / 3);
      for (int i = 0; i < body.length; i += step) {
        int n = Math.min(step, body.length - i);
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, i, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(cut(target, 300));
    for (Header h : headers) {
      b.append("\n  ").append(h.name()).append(": ").append(cut(h.value(), 120));
    }
    if (body != null) {
      b.append("\n  body (")
          .append(body.length)
          .append(" bytes")
          .append(chunked ? ", chunked" : "")
          .append("): ")
          .append(cut(new String(body, StandardCharsets.UTF_8), 400));
    }
    return b.toString();
  }

  private static String cut(String s, int max) {
    String shown = s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + ")";
    StringBuilder b = new StringBuilder();
    for (char c : shown.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client on one kept-alive connection: a load generator must cost the machine
 * as little CPU as it can, because the service under test shares the two cores with it.
 */
final class Http implements AutoCloseable {

  record Response(int status, String body, String location) {}

  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  Http(int port) {
    this.port = port;
  }

  Response get(String path, String key) throws IOException {
    return send("GET", path, key, null, null, null);
  }

  Response post(String path, String key, String idempotencyKey, String body) throws IOException {
    return send("POST", path, key, idempotencyKey, body, null);
  }

  Response send(String method, String path, String key, String idempotencyKey, String body, String contentType)
      throws IOException {
    byte[] payload = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(256)
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    if (key != null) {
      head.append("Authorization: Bearer ").append(key).append("\r\n");
    }
    if (idempotencyKey != null) {
      head.append("Idempotency-Key: ").append(idempotencyKey).append("\r\n");
    }
    if (payload != null) {
      head.append("Content-Type: ").append(contentType == null ? "application/json" : contentType)
          .append("\r\nContent-Length: ").append(payload.length).append("\r\n");
    }
    head.append("\r\n");
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (payload != null) {
          out.write(payload);
        }
        out.flush();
        return read();
      } catch (IOException e) {
        close();
        // A kept-alive connection the server closed while idle: open a new one, once.
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16_384);
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    String location = null;
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
        closes = true;
      } else if (name.equalsIgnoreCase("location")) {
        location = value;
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(length > 0 ? (int) length : 1024);
    if (chunked) {
      for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line().split(";")[0].trim(), 16)) {
        copy(size, body);
        line();
      }
      for (String t = line(); t != null && !t.isEmpty(); t = line()) {
        // trailers
      }
    } else if (length > 0) {
      copy(length, body);
    }
    if (closes) {
      close();
    }
    return new Response(code, body.toString(StandardCharsets.UTF_8), location);
  }

  private void copy(long n, ByteArrayOutputStream to) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new IOException("connection closed mid-body");
      }
      to.write(buf, 0, r);
      n -= r;
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder(64);
    for (int b = in.read(); b >= 0; b = in.read()) {
      if (b == '\n') {
        int len = s.length();
        return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
      }
      s.append((char) b);
    }
    if (s.length() == 0) {
      throw new IOException("connection closed");
    }
    return s.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}

package dev.nudge.common.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, sent with {@code COPY … FROM STDIN}: the server
 * neither parses SQL per row nor converts values from text, which makes it the cheapest way to
 * append many rows (PostgreSQL docs, "COPY", binary format).
 */
public final class BinaryCopy {

  private static final byte[] HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in microseconds after the Unix epoch. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private static final int TEXT_OID = 25;

  private byte[] buf;
  private int size;

  public BinaryCopy(int expectedRows) {
    buf = new byte[Math.max(4096, expectedRows * 1024)];
    System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
    size = HEADER.length;
  }

  /** Starts a row of {@code fields} values. */
  public BinaryCopy row(int fields) {
    room(2);
    putShort(fields);
    return this;
  }

  public BinaryCopy text(String v) {
    // String.getBytes is an intrinsic: far faster than encoding char by char.
    return v == null ? nil() : bytes(v.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code text} value given as its UTF-8 bytes, sent as they are. */
  public BinaryCopy utf8(byte[] v) {
    return v == null ? nil() : bytes(v);
  }

  /** A {@code jsonb} value: a format version byte, then the text. */
  public BinaryCopy jsonb(String v) {
    if (v == null) {
      return nil();
    }
    byte[] text = v.getBytes(StandardCharsets.UTF_8);
    room(5 + text.length);
    putInt(text.length + 1);
    buf[size++] = 1;
    System.arraycopy(text, 0, buf, size, text.length);
    size += text.length;
    return this;
  }

  public BinaryCopy int4(Integer v) {
    if (v == null) {
      return nil();
    }
    room(8);
    putInt(4);
    putInt(v);
    return this;
  }

  public BinaryCopy int8(Long v) {
    if (v == null) {
      return nil();
    }
    room(12);
    putInt(8);
    putLong(v);
    return this;
  }

  public BinaryCopy bool(Boolean v) {
    if (v == null) {
      return nil();
    }
    room(5);
    putInt(1);
    buf[size++] = (byte) (v ? 1 : 0);
    return this;
  }

  /** A {@code timestamptz}: microseconds since 2000-01-01 UTC. */
  public BinaryCopy timestamp(Instant v) {
    if (v == null) {
      return nil();
    }
    long micros =
        Math.addExact(Math.multiplyExact(v.getEpochSecond(), 1_000_000L), v.getNano() / 1_000);
    room(12);
    putInt(8);
    putLong(micros - PG_EPOCH_MICROS);
    return this;
  }

  /** A one-dimensional {@code text[]} without nulls. */
  public BinaryCopy textArray(List<String> values) {
    if (values == null) {
      return nil();
    }
    byte[][] elements = new byte[values.size()][];
    int length = 20;
    for (int i = 0; i < elements.length; i++) {
      elements[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
      length += 4 + elements[i].length;
    }
    room(4 + length);
    putInt(length);
    putInt(1); // dimensions
    putInt(0); // no nulls
    putInt(TEXT_OID);
    putInt(elements.length);
    putInt(1); // lower bound
    for (byte[] e : elements) {
      putInt(e.length);
      System.arraycopy(e, 0, buf, size, e.length);
      size += e.length;
    }
    return this;
  }

  /**
   * Sends the rows with {@code copy} ({@code COPY table (columns) FROM STDIN (FORMAT binary)}) on
   * {@code c}, in its current transaction; returns how many rows were copied.
   */
  public long send(Connection c, String copy) throws SQLException {
    room(2);
    putShort(-1); // trailer
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
    try {
      in.writeToCopy(buf, 0, size);
      return in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private BinaryCopy bytes(byte[] v) {
    room(4 + v.length);
    putInt(v.length);
    System.arraycopy(v, 0, buf, size, v.length);
    size += v.length;
    return this;
  }

  private BinaryCopy nil() {
    room(4);
    putInt(-1);
    return this;
  }

  private void room(int bytes) {
    if (size + bytes > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + bytes));
    }
  }

  private void putShort(int v) {
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  private void putInt(int v) {
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }
}

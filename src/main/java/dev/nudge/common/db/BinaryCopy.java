package dev.nudge.common.db;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, sent with {@code COPY … FROM STDIN}: the server
 * neither parses SQL per row nor converts values from text, which makes it the cheapest way to
 * append many rows (PostgreSQL docs, "COPY", binary format).
 */
public final class BinaryCopy {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in microseconds after the Unix epoch. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private static final int TEXT_OID = 25;

  /** A buffer whose bytes are sent without another copy. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(size);
    }

    void sendTo(org.postgresql.copy.CopyIn in) throws SQLException {
      in.writeToCopy(buf, 0, count);
    }
  }

  private final Buffer bytes;
  private final DataOutputStream out;

  public BinaryCopy(int expectedRows) {
    bytes = new Buffer(Math.max(1024, expectedRows * 512));
    out = new DataOutputStream(bytes);
    try {
      out.write(SIGNATURE);
      out.writeInt(0); // flags
      out.writeInt(0); // header extension length
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a row of {@code fields} values. */
  public BinaryCopy row(int fields) {
    try {
      out.writeShort(fields);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BinaryCopy text(String v) {
    return v == null ? nil() : bytes(v.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code jsonb} value: a format version byte, then the text. */
  public BinaryCopy jsonb(String v) {
    if (v == null) {
      return nil();
    }
    byte[] text = v.getBytes(StandardCharsets.UTF_8);
    try {
      out.writeInt(text.length + 1);
      out.writeByte(1);
      out.write(text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BinaryCopy int4(Integer v) {
    if (v == null) {
      return nil();
    }
    try {
      out.writeInt(4);
      out.writeInt(v);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BinaryCopy int8(Long v) {
    if (v == null) {
      return nil();
    }
    try {
      out.writeInt(8);
      out.writeLong(v);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BinaryCopy bool(Boolean v) {
    if (v == null) {
      return nil();
    }
    try {
      out.writeInt(1);
      out.writeByte(v ? 1 : 0);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code timestamptz}: microseconds since 2000-01-01 UTC. */
  public BinaryCopy timestamp(Instant v) {
    if (v == null) {
      return nil();
    }
    long micros =
        Math.addExact(Math.multiplyExact(v.getEpochSecond(), 1_000_000L), v.getNano() / 1_000);
    try {
      out.writeInt(8);
      out.writeLong(micros - PG_EPOCH_MICROS);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-dimensional {@code text[]} without nulls. */
  public BinaryCopy textArray(List<String> values) {
    if (values == null) {
      return nil();
    }
    try {
      byte[][] elements = new byte[values.size()][];
      int length = 20;
      for (int i = 0; i < elements.length; i++) {
        elements[i] = values.get(i).getBytes(StandardCharsets.UTF_8);
        length += 4 + elements[i].length;
      }
      out.writeInt(length);
      out.writeInt(1); // dimensions
      out.writeInt(0); // no nulls
      out.writeInt(TEXT_OID);
      out.writeInt(elements.length);
      out.writeInt(1); // lower bound
      for (byte[] e : elements) {
        out.writeInt(e.length);
        out.write(e);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BinaryCopy bytes(byte[] v) {
    try {
      out.writeInt(v.length);
      out.write(v);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BinaryCopy nil() {
    try {
      out.writeInt(-1);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends the rows with {@code copy} ({@code COPY table (columns) FROM STDIN (FORMAT binary)}) on
   * {@code c}, in its current transaction; returns how many rows were copied.
   */
  public long send(Connection c, String copy) throws SQLException {
    try {
      out.writeShort(-1); // trailer
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    org.postgresql.copy.CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
    try {
      bytes.sendTo(in);
      return in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }
}

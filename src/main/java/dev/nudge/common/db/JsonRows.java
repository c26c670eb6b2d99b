package dev.nudge.common.db;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Builds the JSON array that one set-based statement reads with {@code json_to_recordset(?::json)}:
 * many rows written or updated in one round trip and one executor run, instead of one statement per
 * row. Instants are written as ISO-8601 strings, which {@code timestamptz} columns parse.
 */
public final class JsonRows {

  private final StringWriter out;
  private final JsonGenerator g;
  private boolean open;

  /** Rows for {@code expectedRows} rows; the buffer is sized for them up front. */
  public JsonRows(ObjectMapper json, int expectedRows) {
    out = new StringWriter(Math.max(256, expectedRows * 1024));
    try {
      g = json.getFactory().createGenerator(out);
      g.writeStartArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the next row. */
  public JsonRows row() {
    try {
      if (open) {
        g.writeEndObject();
      }
      g.writeStartObject();
      open = true;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonRows put(String column, String value) {
    try {
      g.writeStringField(column, value);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonRows put(String column, Instant value) {
    return put(column, value == null ? null : utc(value));
  }

  /**
   * {@code 2026-11-24T20:14:59.123456Z}: an instant as {@code timestamptz} input, without the
   * general-purpose formatter (a timer batch writes a dozen per row).
   */
  static String utc(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < 0 || seconds >= 253_402_300_800L) {
      return t.toString(); // outside years 1970-9999: rare, let the JDK handle it
    }
    java.time.LocalDateTime d = java.time.LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    char[] c = new char[27];
    digits(c, 0, d.getYear(), 4);
    c[4] = '-';
    digits(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, d.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, d.getHour(), 2);
    c[13] = ':';
    digits(c, 14, d.getMinute(), 2);
    c[16] = ':';
    digits(c, 17, d.getSecond(), 2);
    c[19] = '.';
    digits(c, 20, t.getNano() / 1000, 6);
    c[26] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  public JsonRows put(String column, int value) {
    try {
      g.writeNumberField(column, value);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonRows put(String column, Long value) {
    try {
      if (value == null) {
        g.writeNullField(column);
      } else {
        g.writeNumberField(column, value);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonRows put(String column, boolean value) {
    try {
      g.writeBooleanField(column, value);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A column holding JSON already serialized ({@code json}/{@code jsonb} columns), or null. */
  public JsonRows putJson(String column, String json) {
    try {
      g.writeFieldName(column);
      if (json == null) {
        g.writeNull();
      } else {
        g.writeRawValue(json);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code text[]} column. */
  public JsonRows put(String column, List<String> values) {
    try {
      g.writeArrayFieldStart(column);
      for (String v : values) {
        g.writeString(v);
      }
      g.writeEndArray();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The finished array. */
  public String json() {
    try {
      if (open) {
        g.writeEndObject();
        open = false;
      }
      g.writeEndArray();
      g.close();
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

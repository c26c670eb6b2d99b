package dev.nudge.common.db;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.time.InstantFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
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

  /** An instant as {@code timestamptz} input (six fraction digits). */
  static String utc(Instant t) {
    return InstantFormat.micros(t);
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

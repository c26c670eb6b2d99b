package dev.nudge.common.db;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.json.JsonText;
import dev.nudge.common.time.InstantFormat;
import java.time.Instant;
import java.util.List;

/**
 * Builds the JSON array that one set-based statement reads with {@code json_to_recordset(?::json)}:
 * many rows written or updated in one round trip and one executor run, instead of one statement per
 * row. Instants are written as ISO-8601 strings, which {@code timestamptz} columns parse. Written
 * straight into one buffer ({@link JsonText}): a timer batch writes hundreds of rows of some thirty
 * values each.
 */
public final class JsonRows {

  private final JsonText out;
  private boolean open;

  /** Rows for {@code expectedRows} rows; the buffer is sized for them up front. */
  public JsonRows(ObjectMapper json, int expectedRows) {
    out = new JsonText(Math.max(256, expectedRows * 1024));
    out.startArray();
  }

  /** Starts the next row. */
  public JsonRows row() {
    if (open) {
      out.endObject();
    }
    out.element().startObject();
    open = true;
    return this;
  }

  public JsonRows put(String column, String value) {
    out.name(column).string(value);
    return this;
  }

  public JsonRows put(String column, Instant value) {
    return put(column, value == null ? null : utc(value));
  }

  /** An instant as {@code timestamptz} input (six fraction digits). */
  static String utc(Instant t) {
    return InstantFormat.micros(t);
  }

  public JsonRows put(String column, int value) {
    out.name(column).number(value);
    return this;
  }

  public JsonRows put(String column, Long value) {
    out.name(column);
    if (value == null) {
      out.nil();
    } else {
      out.number(value);
    }
    return this;
  }

  public JsonRows put(String column, boolean value) {
    out.name(column).bool(value);
    return this;
  }

  /** A column holding JSON already serialized ({@code json}/{@code jsonb} columns), or null. */
  public JsonRows putJson(String column, String json) {
    out.name(column).raw(json);
    return this;
  }

  /** A {@code text[]} column. */
  public JsonRows put(String column, List<String> values) {
    out.name(column).startArray();
    for (String v : values) {
      out.element().string(v);
    }
    out.endArray();
    return this;
  }

  /** The finished array. */
  public String json() {
    if (open) {
      out.endObject();
      open = false;
    }
    out.endArray();
    return out.toString();
  }
}

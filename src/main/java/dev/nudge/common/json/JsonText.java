package dev.nudge.common.json;

import dev.nudge.common.time.InstantFormat;
import java.time.Instant;

/**
 * JSON written straight into a {@link StringBuilder}, for the few documents the scheduler writes
 * thousands of a second (trade snapshots, event data, the rows of set-based writes). Text is
 * escaped exactly as Jackson's generator escapes it with the service's settings (quote and
 * backslash, the short escapes for backspace, tab, newline, form feed and carriage return, other
 * control characters as a {@code u00XX} escape in upper-case hex, everything else as it is), so a
 * document written here is byte for byte the object mapper's. Going through Jackson's generator
 * instead costs a writer, its buffer copied into a {@code StringBuffer} and a lookup per value.
 *
 * <p>Commas are the caller's: {@link #name} writes one before every field but the first of its
 * object, {@link #element} before every element but the first of its array.
 */
public final class JsonText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final StringBuilder out;
  private boolean first = true;

  public JsonText(int capacity) {
    out = new StringBuilder(capacity);
  }

  public JsonText startObject() {
    out.append('{');
    first = true;
    return this;
  }

  public JsonText endObject() {
    out.append('}');
    first = false;
    return this;
  }

  public JsonText startArray() {
    out.append('[');
    first = true;
    return this;
  }

  public JsonText endArray() {
    out.append(']');
    first = false;
    return this;
  }

  /** The next field's name (and the comma before it, unless it is the first). */
  public JsonText name(String name) {
    if (!first) {
      out.append(',');
    }
    quote(out, name);
    out.append(':');
    first = true;
    return this;
  }

  /** The comma before the next element of an array, unless it is the first. */
  public JsonText element() {
    if (!first) {
      out.append(',');
    }
    first = true;
    return this;
  }

  public JsonText string(String value) {
    if (value == null) {
      return nil();
    }
    quote(out, value);
    first = false;
    return this;
  }

  /** An instant as the service shows one: {@code "2026-11-22T10:00:00Z"}, or null. */
  public JsonText instant(Instant value) {
    if (value == null) {
      return nil();
    }
    // Digits, '-', ':', '.', 'T' and 'Z' only: nothing to escape.
    out.append('"').append(InstantFormat.iso(value)).append('"');
    first = false;
    return this;
  }

  public JsonText number(long value) {
    out.append(value);
    first = false;
    return this;
  }

  public JsonText bool(boolean value) {
    out.append(value);
    first = false;
    return this;
  }

  /** JSON serialized already, written as it is; null writes {@code null}. */
  public JsonText raw(String json) {
    if (json == null) {
      return nil();
    }
    out.append(json);
    first = false;
    return this;
  }

  public JsonText nil() {
    out.append("null");
    first = false;
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * {@code value} as a JSON string, quoted and escaped, appended to {@code out}. The runs between
   * escapes are appended as whole strings: {@code StringBuilder.append(CharSequence, int, int)}
   * copies char by char whenever the builder and the string are coded differently (a builder that
   * already holds a character beyond Latin-1, a Latin-1 string), {@code append(String)} copies
   * whole arrays either way.
   */
  public static void quote(StringBuilder out, String value) {
    out.append('"');
    int len = value.length();
    int from = 0;
    for (int i = 0; i < len; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      if (i > from) {
        out.append(value.substring(from, i));
      }
      from = i + 1;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    if (from == 0) {
      out.append(value);
    } else if (from < len) {
      out.append(value.substring(from));
    }
    out.append('"');
  }
}

package dev.nudge.event;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Event data already serialized, as the UTF-8 bytes the outbox writes, for writers that put one
 * serialized resource into several events (the scheduler's batches) instead of serializing it once
 * per event: the bytes are encoded once however many events share them, or given as they are by a
 * writer that assembled them from parts encoded once. Not a record: equality is by identity, since
 * comparing kilobytes of JSON is never what a caller means. The bytes must not be changed.
 */
public final class RawJson {

  private final byte[] utf8;

  public RawJson(String json) {
    this(json.getBytes(UTF_8));
  }

  private RawJson(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** Data given as its UTF-8 bytes. */
  public static RawJson ofUtf8(byte[] utf8) {
    return new RawJson(utf8);
  }

  /** The JSON's UTF-8 bytes; the caller must not change them. */
  public byte[] utf8() {
    return utf8;
  }

  @Override
  public String toString() {
    return new String(utf8, UTF_8);
  }
}

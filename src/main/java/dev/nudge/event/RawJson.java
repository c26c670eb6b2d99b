package dev.nudge.event;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Event data already serialized, for writers that put one serialized resource into several events
 * (the scheduler's batches) instead of serializing it once per event. Its UTF-8 bytes, which the
 * outbox writes, are encoded once however many events share it, or given as they are by a writer
 * that assembled them from parts encoded once.
 */
public final class RawJson {

  private String json;
  private byte[] utf8;

  public RawJson(String json) {
    this.json = json;
  }

  private RawJson(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** Data given as its UTF-8 bytes. */
  public static RawJson ofUtf8(byte[] utf8) {
    return new RawJson(utf8);
  }

  public String json() {
    if (json == null) {
      json = new String(utf8, UTF_8);
    }
    return json;
  }

  /** The JSON's UTF-8 bytes; the caller must not change them. */
  public byte[] utf8() {
    if (utf8 == null) {
      utf8 = json.getBytes(UTF_8);
    }
    return utf8;
  }
}

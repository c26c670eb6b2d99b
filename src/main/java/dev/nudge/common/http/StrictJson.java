package dev.nudge.common.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Request bodies are read strictly (SPEC §2): a key given twice is malformed JSON (not "the last
 * one wins"), and a value of the wrong JSON type is refused, never coerced: {@code "2"} where a
 * number is expected, {@code 123} or {@code true} where a string is, {@code 1} where a boolean is,
 * a fraction for an integer, a number for an enum or a timestamp. A client that sends the wrong
 * type has a bug; coercing hides it until the day the value does not convert.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

  /** Last, so the stock date-time module registered before does not override these rules. */
  @Override
  public int priority() {
    return MINIMUM_PRIORITY;
  }

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    for (LogicalType type : LogicalType.values()) {
      mapper
          .coercionConfigFor(type)
          .setAcceptBlankAsEmpty(false)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    // What each type is written as in JSON stays allowed: text for strings, enums and times, and
    // any JSON number for a decimal.
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.Enum)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.DateTime)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    mapper.registerModule(
        new SimpleModule("nudge-strict-json")
            .addDeserializer(Instant.class, new TextInstant())
            .addDeserializer(String.class, new StorableText()));
  }

  /**
   * Text that cannot be stored as it was sent is refused where it is read, naming the field: NUL
   * (PostgreSQL text cannot hold U+0000) and a lone surrogate half (it has no UTF-8 form, and would
   * be stored as '?').
   */
  static final class StorableText extends StdScalarDeserializer<String> {

    StorableText() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = StringDeserializer.instance.deserialize(p, ctxt);
      String problem = s == null ? null : problem(s);
      if (problem != null) {
        throw new UnstorableText(p, problem);
      }
      return s;
    }
  }

  /** Why {@code s} cannot be stored as it is, or null when it can. */
  public static String problem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        return "must not contain the NUL character (U+0000)";
      }
      if (Character.isHighSurrogate(c)
          && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
        return "must be valid Unicode: it has a lone surrogate half";
      }
      if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        return "must be valid Unicode: it has a lone surrogate half";
      }
    }
    return null;
  }

  /** A string value that cannot be stored as sent; {@link #reason()} says why. */
  public static final class UnstorableText extends JsonMappingException {
    private final String reason;

    UnstorableText(JsonParser p, String reason) {
      super(p, reason);
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }
  }

  /**
   * Timestamps are RFC 3339 strings; the stock deserializer also takes a JSON number as epoch
   * seconds, which is a coercion like any other.
   */
  static final class TextInstant extends StdScalarDeserializer<Instant> {

    TextInstant() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.hasToken(JsonToken.VALUE_STRING)) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }
  }
}

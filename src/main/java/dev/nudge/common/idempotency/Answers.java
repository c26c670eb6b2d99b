package dev.nudge.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Stored answers: what of an answer is kept, and how a kept one is answered again. */
final class Answers {

  /** The headers a replay repeats. */
  private static final List<String> KEPT_HEADERS = List.of("Location", "ETag", "Retry-After");

  private static final Logger LOG = Logger.getLogger(Answers.class);

  private Answers() {}

  static String text(Object entity, ObjectMapper json) throws JsonProcessingException {
    if (entity == null) {
      return null;
    }
    return entity instanceof String s ? s : json.writeValueAsString(entity);
  }

  static String headers(MultivaluedMap<String, Object> all, ObjectMapper json)
      throws JsonProcessingException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : KEPT_HEADERS) {
      Object value = all.getFirst(name);
      if (value != null) {
        headers.put(name, value.toString());
      }
    }
    return json.writeValueAsString(headers);
  }

  /** The {@code type} of a problem answer (its body is the document as text), else null. */
  static String problemType(int status, String body, ObjectMapper json) {
    if (status < 400 || body == null) {
      return null;
    }
    try {
      return json.readTree(body).path("type").textValue();
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static Response replay(IdempotencyStore.Stored stored, ObjectMapper json) {
    Response.ResponseBuilder r =
        Response.status(stored.status()).header("Idempotent-Replayed", "true");
    if (stored.body() != null) {
      r.entity(stored.body());
    }
    if (stored.contentType() != null) {
      r.type(stored.contentType());
    }
    if (stored.headers() != null) {
      try {
        Map<String, String> headers =
            json.readValue(stored.headers(), new TypeReference<Map<String, String>>() {});
        headers.forEach(r::header);
      } catch (JsonProcessingException e) {
        LOG.warn("Stored idempotent headers unreadable", e);
      }
    }
    return r.build();
  }
}

package dev.nudge.common.idempotency;

import static dev.nudge.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import dev.nudge.support.EveryResource;
import dev.nudge.support.ResourceClasses;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.POST;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} works on every POST (SPEC §5): each one is marked {@link Idempotent}
 * (which runs it in its key's transaction), and a retry of each kind of write gets the first
 * answer.
 */
@QuarkusTest
class EveryPostIsIdempotentTest {

  @Test
  void everyPostEndpointIsMarkedIdempotent() {
    List<String> posts = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (JavaClass c : ResourceClasses.all()) {
      for (JavaMethod m : c.getMethods()) {
        if (m.isAnnotatedWith(POST.class)) {
          posts.add(c.getSimpleName() + "." + m.getName());
          if (!m.isAnnotatedWith(Idempotent.class) && !c.isAnnotatedWith(Idempotent.class)) {
            missing.add(c.getSimpleName() + "." + m.getName());
          }
        }
      }
    }
    assertThat(posts).hasSizeGreaterThan(10);
    assertThat(missing).as("POST endpoints without @Idempotent").isEmpty();
  }

  @Test
  void aRetryOfEachKindOfWriteGetsTheFirstAnswer() {
    EveryResource r = EveryResource.create();
    List<Object[]> writes =
        List.of(
            new Object[] {"/v1/cancellation-policies", Map.of("name", "Strict")},
            new Object[] {"/v1/clock/advance", Map.of("by", "PT1M")},
            new Object[] {
              "/v1/complaints/" + r.complaint + "/messages", Map.of("body", "Still waiting")
            },
            new Object[] {"/v1/webhook-endpoints/" + r.endpoint + "/rotate-secret", Map.of()},
            new Object[] {"/v1/trades/" + r.trade + "/actions", actAs(r.partyA)});
    for (Object[] w : writes) {
      String path = (String) w[0];
      String idem = "every-post-" + System.nanoTime();
      var first = as(r.key).header("Idempotency-Key", idem).body(w[1]).post(path).then().extract();
      assertThat(first.statusCode()).as(path + ": " + first.body().asString()).isLessThan(300);
      var retry = as(r.key).header("Idempotency-Key", idem).body(w[1]).post(path).then().extract();
      assertThat(retry.statusCode()).as(path).isEqualTo(first.statusCode());
      assertThat(retry.header("Idempotent-Replayed")).as(path).isEqualTo("true");
      assertThat(retry.body().asString()).as(path).isEqualTo(first.body().asString());
    }
  }

  private static Map<String, String> actAs(String party) {
    return Map.of("type", "request_reply", "partyId", party);
  }
}

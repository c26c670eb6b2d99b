package dev.nudge.common.machines;

import static dev.nudge.support.Api.as;
import static dev.nudge.support.Api.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nudge.common.statemachine.MachineDescription;
import dev.nudge.complaint.ComplaintMachine;
import dev.nudge.trade.TradeMachine;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The state machines as data: what the API serves is the transition tables themselves, and the
 * README's diagrams are drawn from them (this fails when the README is not redrawn).
 */
@QuarkusTest
class StateMachinesTest {

  private static final List<MachineDescription> MACHINES =
      List.of(new TradeMachine().describe(), new ComplaintMachine().describe());

  @Test
  void theReadmeDiagramsAreDrawnFromTheTables() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    for (MachineDescription m : MACHINES) {
      Matcher block =
          Pattern.compile(
                  "<!-- state-machine:"
                      + m.name()
                      + " -->\\n```mermaid\\n(.*?)```\\n<!-- /state-machine:"
                      + m.name()
                      + " -->",
                  Pattern.DOTALL)
              .matcher(readme);
      assertThat(block.find())
          .as("README has the %s diagram between its markers", m.name())
          .isTrue();
      assertThat(block.group(1))
          .as("README diagram of %s; redraw it from MachineDescription.mermaid()", m.name())
          .isEqualTo(m.mermaid());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theApiServesTheTables() throws Exception {
    String key = newTenant("test");
    as(key)
        .get("/v1/state-machines")
        .then()
        .statusCode(200)
        .body("data", equalTo(List.of("complaint", "trade")));
    ObjectMapper json = new ObjectMapper();
    for (MachineDescription m : MACHINES) {
      String served =
          as(key).get("/v1/state-machines/" + m.name()).then().statusCode(200).extract().asString();
      assertThat(json.readValue(served, Map.class))
          .isEqualTo(json.readValue(json.writeValueAsString(m), Map.class));
    }
    Map<?, ?> trade = json.readValue(as(key).get("/v1/state-machines/trade").asString(), Map.class);
    assertThat((List<Object>) trade.get("terminal")).containsExactly("cancelled", "completed");
    assertThat((List<Object>) trade.get("transitions"))
        .contains(
            Map.of(
                "from", "reminded",
                "action", "cancel_for_no_reply",
                "to", "cancelled",
                "who", "the waiting party"));
    as(key).get("/v1/state-machines/order").then().statusCode(404);
  }
}

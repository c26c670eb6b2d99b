package dev.nudge.common.machines;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.statemachine.DescribedMachine;
import dev.nudge.common.statemachine.MachineDescription;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/state-machines/{name}}: a machine's transition tables as data (SPEC §2). */
@RolesAllowed(Roles.TENANT)
@Path("/v1/state-machines")
@Produces(MediaType.APPLICATION_JSON)
public class StateMachineResource {

  private final Map<String, MachineDescription> machines = new LinkedHashMap<>();
  private final Caller caller;

  public StateMachineResource(@Any Instance<DescribedMachine> machines, Caller caller) {
    this.caller = caller;
    machines.stream()
        .map(DescribedMachine::describe)
        .sorted(java.util.Comparator.comparing(MachineDescription::name))
        .forEach(m -> this.machines.put(m.name(), m));
  }

  @GET
  public Map<String, List<String>> names() {
    caller.tenantId();
    return Map.of("data", List.copyOf(machines.keySet()));
  }

  @GET
  @Path("/{name}")
  public MachineDescription get(@PathParam("name") String name) {
    caller.tenantId();
    MachineDescription m = machines.get(name);
    if (m == null) {
      throw ApiProblem.notFound("State machine", name);
    }
    return m;
  }
}

package dev.nudge.schedule;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.schedule.ClockService.AdvanceRequest;
import dev.nudge.schedule.ClockService.Advanced;
import dev.nudge.schedule.ClockService.ClockView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@RolesAllowed(Roles.TENANT)
@Path("/v1/clock")
@Produces(MediaType.APPLICATION_JSON)
public class ClockResource {

  private final ClockService service;

  public ClockResource(ClockService service) {
    this.service = service;
  }

  @GET
  public ClockView now() {
    return service.now();
  }

  @Idempotent
  @POST
  @Path("/advance")
  @Consumes(MediaType.APPLICATION_JSON)
  public Advanced advance(AdvanceRequest request) {
    return service.advance(request);
  }
}

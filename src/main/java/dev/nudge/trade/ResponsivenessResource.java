package dev.nudge.trade;

import dev.nudge.common.auth.Roles;
import dev.nudge.trade.Responsiveness.View;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/parties/{id}/responsiveness}: a trust signal an integrator shows by a handle. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/parties/{id}/responsiveness")
@Produces(MediaType.APPLICATION_JSON)
public class ResponsivenessResource {

  private final Responsiveness responsiveness;

  public ResponsivenessResource(Responsiveness responsiveness) {
    this.responsiveness = responsiveness;
  }

  @GET
  public View get(
      @PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
    return responsiveness.of(id, from, to);
  }
}

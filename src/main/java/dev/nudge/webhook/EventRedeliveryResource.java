package dev.nudge.webhook;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@RolesAllowed(Roles.TENANT)
@Path("/v1/events/{id}/redeliver")
@Produces(MediaType.APPLICATION_JSON)
public class EventRedeliveryResource {

  private final WebhookEndpointService service;
  private final Caller caller;

  public EventRedeliveryResource(WebhookEndpointService service, Caller caller) {
    this.service = service;
    this.caller = caller;
  }

  /** Sends the event again to every enabled endpoint subscribed to it. */
  @Idempotent
  @POST
  public Response redeliver(@PathParam("id") String id) {
    if (caller.partyId() != null) {
      throw ApiProblem.forbidden("Party tokens cannot redeliver events.");
    }
    return Response.accepted(service.redeliver(caller.tenantId(), id)).build();
  }
}

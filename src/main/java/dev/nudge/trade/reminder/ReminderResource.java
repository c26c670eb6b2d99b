package dev.nudge.trade.reminder;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.trade.reminder.ReminderViews.ManualReminder;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@RolesAllowed({Roles.TENANT, Roles.PARTY})
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ReminderResource {

  private final ReminderService service;

  public ReminderResource(ReminderService service) {
    this.service = service;
  }

  @GET
  @Path("/trades/{id}/reminders")
  public Page<ReminderView> forTrade(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.forTrade(id, PageRequest.of(limit, cursor));
  }

  @Idempotent
  @POST
  @Path("/trades/{id}/reminders")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response nudge(@PathParam("id") String id, ManualReminder request) {
    return Response.status(201).entity(service.nudge(id, request)).build();
  }
}

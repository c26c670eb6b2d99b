package dev.nudge.trade.reminder;

import dev.nudge.common.auth.PartyAccess;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.trade.reminder.ReminderViews.ReminderView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The reminder feed of one party; rooted at /v1/parties so it matches beside PartyResource. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/parties/{id}/reminders")
@Produces(MediaType.APPLICATION_JSON)
public class PartyReminderResource {

  private final ReminderService service;

  public PartyReminderResource(ReminderService service) {
    this.service = service;
  }

  @PermissionsAllowed(PartyAccess.OWN_PARTY)
  @GET
  public Page<ReminderView> forParty(
      @PathParam("id") String id,
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.forParty(id, status, PageRequest.of(limit, cursor));
  }
}

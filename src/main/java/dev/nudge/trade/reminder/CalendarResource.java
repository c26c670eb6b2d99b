package dev.nudge.trade.reminder;

import dev.nudge.common.auth.PartyAccess;
import dev.nudge.common.auth.Roles;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

/**
 * {@code GET /v1/parties/{id}/reminders.ics}: the party's deadlines for a calendar app. Calendar
 * apps cannot send headers, so a party token may come as {@code ?token=} instead.
 */
@RolesAllowed(Roles.TENANT)
@Path("/v1/parties/{id}/reminders.ics")
public class CalendarResource {

  private final CalendarFeed feed;

  public CalendarResource(CalendarFeed feed) {
    this.feed = feed;
  }

  /** {@code token} is read by the authentication mechanism; declared so it is a known parameter. */
  @GET
  @PermissionsAllowed(PartyAccess.OWN_PARTY)
  @Produces("text/calendar; charset=utf-8")
  public String get(@PathParam("id") String id, @QueryParam("token") String token) {
    return feed.feed(id);
  }
}

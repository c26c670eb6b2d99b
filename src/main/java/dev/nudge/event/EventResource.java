package dev.nudge.event;

import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.paging.PageRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@RolesAllowed({Roles.TENANT, Roles.PARTY})
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

  private final EventFeed feed;
  private final Caller caller;

  public EventResource(EventFeed feed, Caller caller) {
    this.feed = feed;
    this.caller = caller;
  }

  @GET
  public EventFeed.FeedPage list(
      @QueryParam("after") String after,
      @QueryParam("types") String types,
      @QueryParam("limit") String limit) {
    PageRequest page = PageRequest.of(limit, null);
    return feed.read(
        caller.tenantId(), caller.partyId(), after, EventFeed.parseTypes(types), page.limit());
  }
}

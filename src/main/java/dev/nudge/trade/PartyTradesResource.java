package dev.nudge.trade;

import dev.nudge.common.auth.PartyAccess;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.trade.TradeViews.TradeView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A party's trades; its own class so it matches beside the party resource. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/parties/{id}/trades")
@Produces(MediaType.APPLICATION_JSON)
public class PartyTradesResource {

  private final TradeService service;

  public PartyTradesResource(TradeService service) {
    this.service = service;
  }

  @PermissionsAllowed(PartyAccess.OWN_PARTY)
  @GET
  public Page<TradeView> list(
      @PathParam("id") String id,
      @QueryParam("state") String state,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.forParty(id, state, PageRequest.of(limit, cursor));
  }
}

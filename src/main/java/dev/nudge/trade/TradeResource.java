package dev.nudge.trade;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.http.ETags;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.trade.TradeChanges.Shown;
import dev.nudge.trade.TradeViews.ActionRequest;
import dev.nudge.trade.TradeViews.CreateTrade;
import dev.nudge.trade.TradeViews.HistoryView;
import dev.nudge.trade.TradeViews.TradeView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

@RolesAllowed({Roles.TENANT, Roles.PARTY})
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TradeResource {

  private final TradeService service;

  public TradeResource(TradeService service) {
    this.service = service;
  }

  /** Only the integrator's server records trades; a party token acts on them. */
  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Path("/trades")
  @RolesAllowed(Roles.TENANT)
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreateTrade request) {
    Shown t = service.create(request);
    return Response.created(URI.create("/v1/trades/" + t.view().id()))
        .tag(ETags.of(t.view().version()))
        .entity(t.json())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .build();
  }

  @GET
  @Path("/trades")
  public Page<TradeView> list(
      @QueryParam("state") String state,
      @QueryParam("partyId") String partyId,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.list(state, partyId, PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/trades/{id}")
  public Response get(@PathParam("id") String id) {
    TradeView t = service.get(id);
    return Response.ok(t).tag(ETags.of(t.version())).build();
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Path("/trades/{id}/actions")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response act(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, ActionRequest request) {
    Shown t = service.act(id, request, ifMatch);
    return Response.ok(t.json(), MediaType.APPLICATION_JSON_TYPE)
        .tag(ETags.of(t.view().version()))
        .build();
  }

  @GET
  @Path("/trades/{id}/history")
  public Page<HistoryView> history(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.history(id, PageRequest.of(limit, cursor));
  }
}

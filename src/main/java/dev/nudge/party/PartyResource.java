package dev.nudge.party;

import dev.nudge.common.auth.PartyAccess;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.http.ETags;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.party.PartyViews.CreateParty;
import dev.nudge.party.PartyViews.PartyView;
import io.quarkus.security.PermissionsAllowed;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

@RolesAllowed(Roles.TENANT)
@Path("/v1/parties")
@Produces(MediaType.APPLICATION_JSON)
public class PartyResource {

  private final PartyService service;

  public PartyResource(PartyService service) {
    this.service = service;
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreateParty request) {
    PartyView p = service.create(request);
    return Response.created(URI.create("/v1/parties/" + p.id()))
        .tag(ETags.of(p.version()))
        .entity(p)
        .build();
  }

  @GET
  public Page<PartyView> list(
      @QueryParam("handle") String handle,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.list(handle, PageRequest.of(limit, cursor));
  }

  @PATCH
  @Path("/{id}")
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  public Response update(
      @PathParam("id") String id,
      @HeaderParam("If-Match") String ifMatch,
      com.fasterxml.jackson.databind.JsonNode patch)
      throws com.fasterxml.jackson.core.JsonProcessingException {
    PartyView p = service.update(id, service.settings(patch), ifMatch);
    return Response.ok(p).tag(ETags.of(p.version())).build();
  }

  @PermissionsAllowed(PartyAccess.OWN_PARTY)
  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    PartyView p = service.get(id);
    return Response.ok(p).tag(ETags.of(p.version())).build();
  }
}

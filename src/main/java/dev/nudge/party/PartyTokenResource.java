package dev.nudge.party;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.party.PartyTokenService.CreateToken;
import dev.nudge.party.PartyTokenService.TokenCreated;
import dev.nudge.party.PartyTokenService.TokenView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Party tokens; only a tenant key mints, lists and revokes them. */
@RolesAllowed(Roles.TENANT)
@Path("/v1/parties/{id}/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class PartyTokenResource {

  private final PartyTokenService service;

  public PartyTokenResource(PartyTokenService service) {
    this.service = service;
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@PathParam("id") String id, CreateToken request) {
    TokenCreated t = service.create(id, request);
    return Response.status(201).entity(t).build();
  }

  @GET
  public Map<String, List<TokenView>> list(@PathParam("id") String id) {
    return Map.of("data", service.list(id));
  }

  @DELETE
  @Path("/{tokenId}")
  public Response revoke(@PathParam("id") String id, @PathParam("tokenId") String tokenId) {
    service.revoke(id, tokenId);
    return Response.noContent().build();
  }
}

package dev.nudge.trade.policy;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.http.ETags;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.trade.policy.PolicyViews.CreatePolicy;
import dev.nudge.trade.policy.PolicyViews.PolicyView;
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
import java.net.URI;

@RolesAllowed(Roles.TENANT)
@Path("/v1/cancellation-policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

  private final PolicyService service;

  public PolicyResource(PolicyService service) {
    this.service = service;
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreatePolicy request) {
    PolicyView p = service.create(request);
    return Response.created(URI.create("/v1/cancellation-policies/" + p.id()))
        .tag(ETags.of(p.version()))
        .entity(p)
        .build();
  }

  @GET
  public Page<PolicyView> list(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return service.list(PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    PolicyView p = service.get(id);
    return Response.ok(p).tag(ETags.of(p.version())).build();
  }
}

package dev.nudge.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nudge.common.auth.Caller;
import dev.nudge.common.auth.Roles;
import dev.nudge.common.http.ETags;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.webhook.WebhookViews.AttemptView;
import dev.nudge.webhook.WebhookViews.CreateEndpoint;
import dev.nudge.webhook.WebhookViews.EndpointView;
import dev.nudge.webhook.WebhookViews.EndpointWithSecret;
import dev.nudge.webhook.WebhookViews.ReplayRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
@Path("/v1/webhook-endpoints")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookEndpointResource {

  private final WebhookEndpointService service;
  private final Caller caller;

  public WebhookEndpointResource(WebhookEndpointService service, Caller caller) {
    this.service = service;
    this.caller = caller;
  }

  @Idempotent
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreateEndpoint request) {
    EndpointWithSecret created = service.create(tenant(), request);
    return Response.created(URI.create("/v1/webhook-endpoints/" + created.endpoint().id()))
        .tag(ETags.of(created.endpoint().version()))
        .entity(created)
        .build();
  }

  @GET
  public Page<EndpointView> list(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return service.list(tenant(), PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  public Response get(@PathParam("id") String id) {
    EndpointView view = service.get(tenant(), id);
    return Response.ok(view).tag(ETags.of(view.version())).build();
  }

  @PATCH
  @Path("/{id}")
  @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
  public Response update(
      @PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, JsonNode body) {
    EndpointView view = service.update(tenant(), id, body, ifMatch);
    return Response.ok(view).tag(ETags.of(view.version())).build();
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    service.delete(tenant(), id);
    return Response.noContent().build();
  }

  @Idempotent
  @POST
  @Path("/{id}/rotate-secret")
  public EndpointWithSecret rotate(@PathParam("id") String id) {
    return service.rotateSecret(tenant(), id);
  }

  @GET
  @Path("/{id}/attempts")
  public Page<AttemptView> attempts(
      @PathParam("id") String id,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    return service.attempts(tenant(), id, PageRequest.of(limit, cursor));
  }

  @Idempotent
  @POST
  @Path("/{id}/replay")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response replay(@PathParam("id") String id, ReplayRequest request) {
    return Response.accepted(service.replay(tenant(), id, request)).build();
  }

  /** Webhook management is the integrating app's, not a party's. */
  private String tenant() {
    if (caller.partyId() != null) {
      throw ApiProblem.forbidden("Party tokens cannot manage webhook endpoints.");
    }
    return caller.tenantId();
  }
}

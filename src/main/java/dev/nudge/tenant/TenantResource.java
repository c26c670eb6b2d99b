package dev.nudge.tenant;

import dev.nudge.common.auth.Roles;
import dev.nudge.common.idempotency.Idempotent;
import dev.nudge.common.paging.Page;
import dev.nudge.common.paging.PageRequest;
import dev.nudge.tenant.TenantViews.ApiKeyCreated;
import dev.nudge.tenant.TenantViews.ApiKeyView;
import dev.nudge.tenant.TenantViews.CreateTenant;
import dev.nudge.tenant.TenantViews.TenantCreated;
import dev.nudge.tenant.TenantViews.TenantView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Tenant management, for the operator's admin key only (checked by the auth filter). */
@RolesAllowed(Roles.ADMIN)
@Path("/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

  private final TenantService service;

  public TenantResource(TenantService service) {
    this.service = service;
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(CreateTenant request) {
    TenantCreated created = service.create(request);
    return Response.created(URI.create("/v1/tenants/" + created.id())).entity(created).build();
  }

  @GET
  public Page<TenantView> list(
      @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
    return service.list(PageRequest.of(limit, cursor));
  }

  @GET
  @Path("/{id}")
  public TenantView get(@PathParam("id") String id) {
    return service.get(id);
  }

  @Idempotent(Idempotent.Unit.JDBC)
  @POST
  @Path("/{id}/api-keys")
  public Response createKey(@PathParam("id") String id) {
    ApiKeyCreated key = service.createKey(id);
    return Response.created(URI.create("/v1/tenants/" + id + "/api-keys/" + key.id()))
        .entity(key)
        .build();
  }

  @GET
  @Path("/{id}/api-keys")
  public Page<ApiKeyView> keys(@PathParam("id") String id) {
    return new Page<>(service.keys(id), null);
  }

  @DELETE
  @Path("/{id}/api-keys/{keyId}")
  public Response revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
    service.revokeKey(id, keyId);
    return Response.noContent().build();
  }
}

package dev.nudge.complaint;

import dev.nudge.common.auth.Roles;
import dev.nudge.complaint.SlaPolicyService.SlaPolicyRequest;
import dev.nudge.complaint.SlaPolicyService.SlaPolicyView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

@RolesAllowed(Roles.TENANT)
@Path("/v1/sla-policies")
@Produces(MediaType.APPLICATION_JSON)
public class SlaPolicyResource {

  private final SlaPolicyService service;

  public SlaPolicyResource(SlaPolicyService service) {
    this.service = service;
  }

  @GET
  public Map<String, List<SlaPolicyView>> list() {
    return Map.of("data", service.list());
  }

  @GET
  @Path("/{severity}")
  public SlaPolicyView get(@PathParam("severity") String severity) {
    return service.get(severity);
  }

  @PUT
  @Path("/{severity}")
  @Consumes(MediaType.APPLICATION_JSON)
  public SlaPolicyView put(@PathParam("severity") String severity, SlaPolicyRequest request) {
    return service.put(severity, request);
  }
}

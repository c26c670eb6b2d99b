package dev.nudge.common.auth;

import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.ProblemType;
import io.agroal.api.AgroalDataSource;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks {@code Authorization: Bearer} on every {@code /v1} path and records the caller.
 *
 * <p>Tenant management is the admin key's alone; tenant data is reachable with a tenant key (or,
 * later, a party token) and never with the admin key.
 */
public class AuthFilter {

  private final AdminKey adminKey;
  private final AgroalDataSource db;
  private final Caller caller;

  public AuthFilter(AdminKey adminKey, AgroalDataSource db, Caller caller) {
    this.adminKey = adminKey;
    this.db = db;
    this.caller = caller;
  }

  @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
  public void authenticate(ContainerRequestContext request) {
    String path = "/" + request.getUriInfo().getPath().replaceFirst("^/+", "");
    if (!path.startsWith("/v1/") && !path.equals("/v1")) {
      return;
    }
    if ("OPTIONS".equals(request.getMethod())) {
      return;
    }
    String key = bearer(request.getHeaderString("Authorization"));
    boolean tenantManagement = path.equals("/v1/tenants") || path.startsWith("/v1/tenants/");
    if (adminKey.matches(key)) {
      if (!tenantManagement) {
        throw ApiProblem.forbidden("The admin key manages tenants only; use a tenant API key.");
      }
      caller.admin();
      return;
    }
    if (!lookUpTenantKey(key)) {
      throw unauthorized("The API key is not valid or has been revoked.");
    }
    if (tenantManagement) {
      throw ApiProblem.forbidden("Tenant management needs the admin key.");
    }
  }

  private boolean lookUpTenantKey(String key) {
    String sql =
        "select k.id, k.tenant_id, t.mode from api_key k join tenant t on t.id = k.tenant_id"
            + " where k.key_hash = ? and k.revoked_at is null";
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ApiKeys.hash(key));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        caller.tenant(rs.getString(2), rs.getString(1), "test".equals(rs.getString(3)));
        return true;
      }
    } catch (SQLException e) {
      throw new ApiProblem(ProblemType.UNAVAILABLE, "The database is not reachable; retry later.");
    }
  }

  private static String bearer(String header) {
    if (header == null || header.isBlank()) {
      throw unauthorized("Send your API key as 'Authorization: Bearer <key>'.");
    }
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
      throw unauthorized("The Authorization header must use the Bearer scheme.");
    }
    return parts[1].trim();
  }

  private static ApiProblem unauthorized(String detail) {
    return new ApiProblem(ProblemType.UNAUTHORIZED, detail)
        .header("WWW-Authenticate", "Bearer realm=\"nudge\"");
  }
}

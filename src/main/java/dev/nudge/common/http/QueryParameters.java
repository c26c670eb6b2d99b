package dev.nudge.common.http;

import dev.nudge.common.auth.BearerAuthMechanism;
import dev.nudge.common.problem.ApiProblem;
import dev.nudge.common.problem.FieldError;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * A query parameter the endpoint does not take is a 400 naming it (SPEC §2), and so is one given
 * twice: {@code /v1/events?cursor=…} must not quietly answer page one because the feed's parameter
 * is {@code after}. The parameters an endpoint takes are the ones its resource method declares,
 * plus {@code token} where {@link BearerAuthMechanism} reads a credential from the query.
 */
public class QueryParameters {

  private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

  // After authentication, so a caller without a credential learns that first.
  @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 50)
  public void check(ContainerRequestContext request, SimpleResourceInfo resource) {
    var given = request.getUriInfo().getQueryParameters();
    if (given.isEmpty()) {
      return;
    }
    Set<String> known = known(resource);
    String path = request.getUriInfo().getPath();
    boolean tokenAllowed =
        BearerAuthMechanism.acceptsQueryToken(path.startsWith("/") ? path : "/" + path);
    List<FieldError> errors = new ArrayList<>();
    for (var e : given.entrySet()) {
      String name = e.getKey();
      if (!known.contains(name) && !(tokenAllowed && name.equals("token"))) {
        errors.add(
            new FieldError(
                name,
                known.isEmpty()
                    ? "is not a query parameter of this endpoint, which takes none"
                    : "is not a query parameter of this endpoint, which takes "
                        + String.join(", ", known)));
      } else if (e.getValue().size() > 1) {
        errors.add(new FieldError(name, "is given more than once"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.validation(errors);
    }
  }

  private Set<String> known(SimpleResourceInfo resource) {
    Method method;
    try {
      method =
          resource
              .getResourceClass()
              .getMethod(resource.getMethodName(), resource.parameterTypes());
    } catch (NoSuchMethodException e) {
      return Set.of();
    }
    return declared.computeIfAbsent(method, QueryParameters::declaredBy);
  }

  private static Set<String> declaredBy(Method method) {
    java.util.SortedSet<String> names = new TreeSet<>();
    for (Parameter p : method.getParameters()) {
      QueryParam q = p.getAnnotation(QueryParam.class);
      if (q != null) {
        names.add(q.value());
      }
      RestQuery r = p.getAnnotation(RestQuery.class);
      if (r != null) {
        names.add(r.value().isEmpty() ? p.getName() : r.value());
      }
    }
    return java.util.Collections.unmodifiableSortedSet(names);
  }
}

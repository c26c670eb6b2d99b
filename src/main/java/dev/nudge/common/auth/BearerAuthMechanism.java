package dev.nudge.common.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the credential of a {@code /v1} request: {@code Authorization: Bearer <key>}, or, on the
 * two paths a browser or calendar app opens without headers (the event stream and the iCalendar
 * feed), {@code ?token=<party token>}. {@link KeyIdentityProvider} says whose it is; resources say
 * who may come in ({@code @RolesAllowed}).
 */
@ApplicationScoped
public class BearerAuthMechanism implements HttpAuthenticationMechanism {

  public static final String CHALLENGE = "Bearer realm=\"nudge\"";

  /** Paths that accept {@code ?token=}: EventSource and calendar apps cannot send headers. */
  private static final Pattern QUERY_TOKEN_PATHS =
      Pattern.compile("/v1/events/stream|/v1/parties/[^/]+/reminders\\.ics");

  /** Whether {@code path} takes its credential as {@code ?token=} too. */
  public static boolean acceptsQueryToken(String path) {
    return QUERY_TOKEN_PATHS.matcher(path).matches();
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      RoutingContext context, IdentityProviderManager identities) {
    String path = context.normalizedPath();
    if (!path.startsWith("/v1/") || context.request().method() == HttpMethod.OPTIONS) {
      return Uni.createFrom().nullItem();
    }
    String header = context.request().getHeader("Authorization");
    String token;
    if (header != null) {
      token = bearer(header);
      if (token == null) {
        return Uni.createFrom()
            .failure(
                new AuthenticationFailedException(
                    "The Authorization header must use the Bearer scheme: 'Bearer <key>'."));
      }
    } else if (QUERY_TOKEN_PATHS.matcher(path).matches()
        && context.queryParam("token").size() == 1
        && !context.queryParam("token").get(0).isBlank()) {
      token = context.queryParam("token").get(0).trim();
      if (!token.startsWith(ApiKeys.PARTY_TOKEN_PREFIX)) {
        // A URL ends up in access logs, proxies and calendar servers: no place for a tenant key.
        return Uni.createFrom()
            .failure(
                new AuthenticationFailedException(
                    "Only a party token may be given as ?token=; send an API key in the"
                        + " Authorization header."));
      }
    } else {
      return Uni.createFrom().nullItem();
    }
    return identities.authenticate(
        new TokenAuthenticationRequest(new TokenCredential(token, "bearer")));
  }

  @Override
  public Uni<ChallengeData> getChallenge(RoutingContext context) {
    return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
  }

  @Override
  public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
    return Set.of(TokenAuthenticationRequest.class);
  }

  /** The key or token of an {@code Authorization: Bearer <key>} header; null if it is not one. */
  public static String bearer(String header) {
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || parts[1].isBlank()) {
      return null;
    }
    return parts[1].trim();
  }
}

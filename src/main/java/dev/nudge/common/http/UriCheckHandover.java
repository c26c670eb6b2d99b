package dev.nudge.common.http;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Hands the request-target check from Quarkus to {@link TransportProblems}. Quarkus checks every
 * request target with {@code java.net.URI} before routing and answers a bare 400 with no body;
 * {@code vertx.disableURIValidation} turns that off. It is read once, when the HTTP server is set
 * up, so it is set here, while the configuration is built, which comes first in every launch mode.
 * {@link TransportProblems} then makes the same check and says what is wrong.
 *
 * <p>Contributes no configuration.
 */
public class UriCheckHandover implements ConfigSourceFactory {

  static final String PROPERTY = "vertx.disableURIValidation";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    System.setProperty(PROPERTY, "true");
    return List.of();
  }
}

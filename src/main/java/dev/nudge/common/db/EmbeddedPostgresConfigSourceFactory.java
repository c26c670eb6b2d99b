package dev.nudge.common.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies the datasource settings of the embedded PostgreSQL when the operator configured none.
 *
 * <p>It runs while the configuration is being built, so the JDBC URL exists before Flyway and the
 * connection pool start. With {@code quarkus.datasource.jdbc.url} set it contributes nothing and no
 * embedded server is started.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

  /** Below application.properties (250) and environment variables (300). */
  private static final int ORDINAL = 200;

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    if (!applicationRuntime() || archiveGeneration()) {
      return List.of();
    }
    if (hasValue(context.getValue("quarkus.datasource.jdbc.url"))) {
      return List.of();
    }
    ConfigValue enabled = context.getValue("nudge.embedded-postgres.enabled");
    if (hasValue(enabled) && !Boolean.parseBoolean(enabled.getValue())) {
      return List.of();
    }
    String dataDir = valueOr(context.getValue("nudge.data-dir"), "./.nudge");
    boolean clean =
        Boolean.parseBoolean(valueOr(context.getValue("nudge.embedded-postgres.clean"), "false"));
    boolean durable =
        Boolean.parseBoolean(valueOr(context.getValue("nudge.embedded-postgres.durable"), "true"));
    EmbeddedPostgresServer.Running server;
    try {
      server = EmbeddedPostgresServer.start(dataDir, clean, durable);
    } catch (EmbeddedPostgresServer.DirectoryInUse e) {
      // Not an error of this process: say so in one line and stop, with no stack trace. halt, not
      // exit: nothing was started yet, and the shutdown hooks would wait for a starting app.
      System.err.println(e.getMessage());
      System.err.flush();
      Runtime.getRuntime().halt(1);
      throw e;
    }
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", server.user(),
                "quarkus.datasource.password", server.password()),
            "nudge-embedded-postgres",
            ORDINAL));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(ORDINAL);
  }

  /**
   * True in the build's start that records the class-data archive (pom.xml, exec-maven-plugin): it
   * stops after static initialisation and never opens a connection, so it needs no server.
   */
  private static boolean archiveGeneration() {
    return Boolean.getBoolean("quarkus.appcds.generate");
  }

  /**
   * True once the application itself runs. The build also assembles configuration from these
   * factories, and a server started then would have its URL recorded into the packaged defaults.
   */
  private static boolean applicationRuntime() {
    try {
      Class.forName(
          "io.quarkus.runner.ApplicationImpl",
          false,
          Thread.currentThread().getContextClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean hasValue(ConfigValue value) {
    return value != null && value.getValue() != null && !value.getValue().isBlank();
  }

  private static String valueOr(ConfigValue value, String fallback) {
    return hasValue(value) ? value.getValue() : fallback;
  }
}

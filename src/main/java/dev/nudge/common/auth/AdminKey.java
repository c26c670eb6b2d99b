package dev.nudge.common.auth;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The operator's key. Taken from {@code nudge.admin-key}; otherwise generated on first start into
 * the data directory and printed once. Only its hash is kept in memory.
 */
@Startup
@Singleton
public class AdminKey {

  private static final Logger LOG = Logger.getLogger(AdminKey.class);

  private final String hash;

  public AdminKey(
      @ConfigProperty(name = "nudge.admin-key") Optional<String> configured,
      @ConfigProperty(name = "nudge.data-dir") String dataDir) {
    this.hash = ApiKeys.hash(configured.filter(k -> !k.isBlank()).orElseGet(() -> stored(dataDir)));
  }

  public boolean matches(String presented) {
    return ApiKeys.constantTimeEquals(hash, ApiKeys.hash(presented));
  }

  private static String stored(String dataDir) {
    Path file = Path.of(dataDir, "admin-key");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(file.getParent());
      String key = ApiKeys.newKey("admin");
      Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the file keeps the directory's permissions.
      }
      // Printed on purpose, once: this is the only time the operator sees the generated key.
      System.out.println(
          "\nNudge admin key (generated, stored in "
              + file.toAbsolutePath()
              + "; shown only now):\n  "
              + key
              + "\n");
      LOG.info("Generated a new admin key in the data directory");
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or create the admin key in " + file, e);
    }
  }
}

package dev.nudge.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * The SQL migrations packaged with the service ({@code db/migration/V<version>__<description>.sql}
 * on the class path, in the jar or a directory), read once. Flyway reads them from here too, so the
 * start's check and Flyway see the same files.
 */
final class PackagedMigrations implements ResourceProvider {

  static final String LOCATION = "db/migration";

  /** One versioned migration as Flyway's schema history records it. */
  record Migration(String version, String description, String script, int checksum) {}

  private final List<Script> scripts;

  private PackagedMigrations(List<Script> scripts) {
    this.scripts = scripts;
  }

  static PackagedMigrations read(ClassLoader loader) {
    List<Script> scripts = new ArrayList<>();
    try {
      Enumeration<URL> roots = loader.getResources(LOCATION);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        switch (root.getProtocol()) {
          case "file" -> fromDirectory(Path.of(root.toURI()), scripts);
          case "jar" -> fromJar(root, scripts);
          default -> throw new IllegalStateException("Cannot list the migrations in " + root);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new PackagedMigrations(List.copyOf(scripts));
  }

  private static void fromDirectory(Path dir, List<Script> scripts) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        scripts.add(new Script(file.getFileName().toString(), Files.readString(file)));
      }
    }
  }

  private static void fromJar(URL root, List<Script> scripts) throws IOException {
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    connection.setUseCaches(false);
    try (JarFile jar = connection.getJarFile()) {
      String prefix = LOCATION + "/";
      for (JarEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (name.startsWith(prefix)
            && !entry.isDirectory()
            && name.indexOf('/', prefix.length()) < 0) {
          try (InputStream in = jar.getInputStream(entry)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            scripts.add(new Script(name.substring(prefix.length()), text));
          }
        }
      }
    }
  }

  /**
   * The versioned migrations by version, named as Flyway names them: {@code V1_2__two_words.sql} is
   * version 1.2, "two words".
   */
  Map<String, Migration> versioned() {
    Map<String, Migration> byVersion = new TreeMap<>();
    for (Script script : scripts) {
      String name = script.filename();
      int split = name.indexOf("__");
      if (name.startsWith("V") && name.endsWith(".sql") && split > 1) {
        String version = name.substring(1, split).replace('_', '.');
        String description = name.substring(split + 2, name.length() - 4).replace('_', ' ');
        Migration migration =
            new Migration(version, description, script.getRelativePath(), checksum(script.text()));
        if (byVersion.put(version, migration) != null) {
          throw new IllegalStateException("Two migrations of version " + version);
        }
      }
    }
    return byVersion;
  }

  /**
   * Flyway's checksum of a SQL migration: the CRC-32 of its lines' UTF-8 bytes without their line
   * breaks, and without a byte-order mark at the start (SchemaAtStartTest compares it with the one
   * Flyway computes for every packaged migration).
   */
  static int checksum(String text) {
    CRC32 crc = new CRC32();
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    body.lines().forEach(line -> crc.update(line.getBytes(StandardCharsets.UTF_8)));
    return (int) crc.getValue();
  }

  @Override
  public LoadableResource getResource(String name) {
    return scripts.stream().filter(s -> s.getRelativePath().equals(name)).findFirst().orElse(null);
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    return scripts.stream()
        .filter(s -> s.filename().startsWith(prefix))
        .filter(s -> Arrays.stream(suffixes).anyMatch(s.filename()::endsWith))
        .map(LoadableResource.class::cast)
        .toList();
  }

  /** A migration's file, as Flyway reads it. */
  private static final class Script extends LoadableResource {

    private final String filename;
    private final String text;

    Script(String filename, String text) {
      this.filename = filename;
      this.text = text;
    }

    String filename() {
      return filename;
    }

    String text() {
      return text;
    }

    @Override
    public Reader read() {
      return new StringReader(text);
    }

    @Override
    public String getAbsolutePath() {
      return getRelativePath();
    }

    @Override
    public String getAbsolutePathOnDisk() {
      return null;
    }

    @Override
    public String getFilename() {
      return filename;
    }

    @Override
    public String getRelativePath() {
      return LOCATION + "/" + filename;
    }
  }
}

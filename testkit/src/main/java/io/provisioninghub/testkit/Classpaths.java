package io.provisioninghub.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The classpath written at build time for child JVMs (the Kafka broker, the local infra). */
final class Classpaths {

  private static final String RESOURCE = "runtime.classpath";

  private Classpaths() {}

  /** testkit's own classes plus its whole runtime classpath, including the optional broker jars. */
  static String childJvmClasspath() {
    String deps;
    try (InputStream in = Classpaths.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "testkit was built without " + RESOURCE + "; rebuild it with Maven");
      }
      deps = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ownLocation() + java.io.File.pathSeparator + deps;
  }

  /** The jar of the child classpath whose file name starts with {@code prefix}. */
  static Path jar(String prefix) {
    for (String entry : childJvmClasspath().split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (path.getFileName() != null
          && path.getFileName().toString().startsWith(prefix)
          && path.toString().endsWith(".jar")) {
        return path;
      }
    }
    throw new IllegalStateException("no " + prefix + "*.jar on testkit's runtime classpath");
  }

  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static String ownLocation() {
    try {
      return Path.of(Classpaths.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

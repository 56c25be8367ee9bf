package io.provisioninghub.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The console's browser tests ({@code console/e2e}, Playwright driving Debian's Chromium) against a
 * running stack whose settings are in {@code credentials}. Installs the test runner from npm the
 * first time (never a browser). Screenshots go to {@code -Dphub.console.screenshots} (default
 * {@code target/console-screenshots}; {@code ../docs/console} refreshes the docs' pictures).
 */
final class ConsoleBrowser {

  private ConsoleBrowser() {}

  static void run(Path root, Path stateDir, Properties credentials) throws Exception {
    Path chromium = Path.of(System.getenv().getOrDefault("PHUB_CHROMIUM", "/usr/bin/chromium"));
    assertThat(Files.isExecutable(chromium))
        .as("%s: the browser tests need Debian's Chromium (apt-get install chromium)", chromium)
        .isTrue();
    Path e2e = root.resolve("console/e2e");
    Path out = stateDir.resolve("console-e2e.out");
    if (!Files.isDirectory(e2e.resolve("node_modules/@playwright/test"))) {
      assertThat(exec(e2e, out, 5, "npm", "ci", "--no-audit", "--no-fund"))
          .as("npm ci in console/e2e (output in %s):%n%s", out, tail(out))
          .isZero();
    }
    Path shots =
        Path.of(System.getProperty("phub.console.screenshots", "target/console-screenshots"))
            .toAbsolutePath();
    Files.createDirectories(shots);
    ProcessBuilder pb = builder(e2e, out, "npx", "playwright", "test");
    credentials.forEach((k, v) -> pb.environment().put(k.toString(), v.toString()));
    pb.environment().put("PHUB_CHROMIUM", chromium.toString());
    pb.environment().put("PHUB_SCREENSHOTS", shots.toString());
    pb.environment().put("PHUB_E2E_OUTPUT", stateDir.resolve("console-e2e").toString());
    assertThat(waitFor(pb.start(), 10))
        .as("the console's browser tests (output in %s):%n%s", out, tail(out))
        .isZero();
  }

  private static int exec(Path dir, Path out, int minutes, String... command) throws Exception {
    return waitFor(builder(dir, out, command).start(), minutes);
  }

  private static ProcessBuilder builder(Path dir, Path out, String... command) {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
    pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    pb.environment().put("CI", "true");
    return pb;
  }

  private static int waitFor(Process p, int minutes) throws InterruptedException {
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("did not finish in " + minutes + " minutes");
    }
    return p.exitValue();
  }

  private static String tail(Path out) throws java.io.IOException {
    if (!Files.exists(out)) {
      return "";
    }
    String all = Files.readString(out);
    return all.length() > 8000 ? all.substring(all.length() - 8000) : all;
  }
}

package io.provisioninghub.testkit;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Runs another main class in this JVM and exits as soon as the parent process is gone, so that a
 * broker started for tests never outlives the test JVM, even one killed with SIGKILL.
 *
 * <p>Usage: {@code ChildMain <parentPid> <mainClass> [args...]}
 */
public final class ChildMain {

  private ChildMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ChildMain <parentPid> <mainClass> [args...]");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[0]);
    Thread watchdog =
        new Thread(
            () -> {
              while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                  TimeUnit.MILLISECONDS.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
              System.err.println("parent process " + parentPid + " is gone; exiting");
              Runtime.getRuntime().halt(3);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
  }
}

package io.provisioninghub.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The service's log lines as a test sees them (message, parameters and exception), to show that a
 * secret never reaches the log: {@link #start()} in {@code @BeforeAll}, {@link #stop()} in
 * {@code @AfterAll}.
 */
public final class CapturedLog extends Handler {

  private final List<String> lines = new CopyOnWriteArrayList<>();

  private CapturedLog() {}

  public static CapturedLog start() {
    CapturedLog log = new CapturedLog();
    Logger.getLogger("").addHandler(log);
    return log;
  }

  public void stop() {
    Logger.getLogger("").removeHandler(this);
  }

  public List<String> lines() {
    return lines;
  }

  @Override
  public void publish(LogRecord record) {
    String message = record.getMessage();
    if (record.getParameters() != null && message != null) {
      message = message + " " + List.of(record.getParameters());
    }
    lines.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}

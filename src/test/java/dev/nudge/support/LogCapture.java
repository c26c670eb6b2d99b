package dev.nudge.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Logger;

/**
 * Everything the service logs while it is installed (on the root logger, so every category, at the
 * levels the configuration lets through, and the service's own categories at DEBUG), as text:
 * message, parameters and stack traces.
 */
public final class LogCapture extends ExtHandler implements AutoCloseable {

  /** The service's own categories, logged at DEBUG while a capture is installed. */
  private static final String SERVICE = "dev.nudge";

  private final List<String> records = new CopyOnWriteArrayList<>();
  private final java.util.logging.Level serviceLevel;

  private LogCapture(java.util.logging.Level serviceLevel) {
    this.serviceLevel = serviceLevel;
  }

  public static LogCapture install() {
    Logger service = Logger.getLogger(SERVICE);
    LogCapture capture = new LogCapture(service.getLevel());
    service.setLevel(org.jboss.logmanager.Level.DEBUG);
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  protected void doPublish(ExtLogRecord record) {
    StringBuilder b = new StringBuilder();
    b.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ");
    b.append(record.getFormattedMessage());
    if (record.getParameters() != null) {
      b.append(" ").append(Arrays.toString(record.getParameters()));
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      b.append('\n').append(trace);
    }
    records.add(b.toString());
  }

  public List<String> records() {
    return new ArrayList<>(records);
  }

  /** The records that contain any of {@code secrets}. */
  public List<String> containing(List<String> secrets) {
    return records.stream().filter(r -> secrets.stream().anyMatch(r::contains)).toList();
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
    Logger.getLogger(SERVICE).setLevel(serviceLevel);
  }
}

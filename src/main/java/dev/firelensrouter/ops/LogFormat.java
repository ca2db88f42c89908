package dev.firelensrouter.ops;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * {@code service.log_format: json}: replaces the root logger's text appender with one JSON object
 * per line on stderr ({@link JsonLogEncoder}). {@code FIRELENS_ROUTER_LOG_FORMAT=json} does the
 * same from the first line, before the config is read.
 */
public final class LogFormat {
  private LogFormat() {}

  public static void apply(String format) {
    if (!format.equals("json")
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender("json") != null) {
      return;
    }
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setName("json");
    appender.setContext(context);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}

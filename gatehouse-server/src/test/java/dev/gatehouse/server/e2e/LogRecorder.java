package dev.gatehouse.server.e2e;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Logback appender that keeps every formatted log line of the test JVM, for the no-secret-in-logs scan. */
public final class LogRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    public static List<String> lines() {
        return List.copyOf(LINES);
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            line.append(' ').append(event.getThrowableProxy().getClassName()).append(": ").append(event.getThrowableProxy().getMessage());
        }
        LINES.add(line.toString());
    }
}

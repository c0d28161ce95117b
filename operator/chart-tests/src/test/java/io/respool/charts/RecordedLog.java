package io.respool.charts;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A logback appender that keeps warnings and errors (with their stack traces) for assertions. */
public final class RecordedLog extends AppenderBase<ILoggingEvent> {

    private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            String text = event.getLoggerName() + ": " + event.getFormattedMessage();
            if (event.getThrowableProxy() != null) {
                text += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            WARNINGS.add(text);
        }
    }

    static List<String> warnings() {
        return List.copyOf(WARNINGS);
    }

    static void clear() {
        WARNINGS.clear();
    }
}

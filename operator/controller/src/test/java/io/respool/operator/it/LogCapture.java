package io.respool.operator.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A logback appender that keeps every WARN and ERROR event, so that a test class can fail when the
 * operator logged an unexpected exception or an unhandled update conflict (Kueue's envtest habit).
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> {

    private static final List<ILoggingEvent> EVENTS = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            synchronized (EVENTS) {
                EVENTS.add(event);
            }
        }
    }

    public static void clear() {
        synchronized (EVENTS) {
            EVENTS.clear();
        }
    }

    /**
     * Events that point at a bug: any ERROR, any WARN carrying an exception, and anything that
     * mentions an update conflict (HTTP 409), except those logged by the test harness itself.
     */
    public static List<String> unexpected() {
        List<String> found = new ArrayList<>();
        synchronized (EVENTS) {
            for (ILoggingEvent e : EVENTS) {
                if (e.getLoggerName().startsWith("io.fabric8.kubeapitest") || e.getLoggerName().startsWith("io.respool.operator.it")) {
                    continue;
                }
                String text = e.getFormattedMessage() + describe(e.getThrowableProxy());
                String lower = text.toLowerCase(Locale.ROOT);
                boolean conflict = lower.contains("409") || lower.contains("conflict");
                if (e.getLevel() == Level.ERROR || e.getThrowableProxy() != null || conflict) {
                    found.add(e.getLevel() + " " + e.getLoggerName() + " [" + e.getThreadName() + "]: " + text);
                }
            }
        }
        return found;
    }

    private static String describe(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder();
        while (t != null) {
            sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            t = t.getCause();
        }
        return sb.toString();
    }
}

package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The integration tests' tripwire itself: it must see what the operator logs. */
class LogCaptureTest {

    @AfterEach
    void clear() {
        LogCapture.clear();
    }

    @Test
    void flagsErrorsExceptionsAndConflictsButNotPlainWarnings() {
        LogCapture.clear();
        var log = LoggerFactory.getLogger("io.respool.operator.controller.Something");
        log.warn("a plain warning");
        assertThat(LogCapture.unexpected()).isEmpty();
        log.warn("with an exception", new IllegalStateException("boom"));
        log.info("Operation: [patch] failed: Conflict (409)");
        log.warn("Failure executing: PUT ... Message: Operation cannot be fulfilled: the object has been modified. Received status: Status(code=409, reason=Conflict)");
        log.error("reconcile failed");
        assertThat(LogCapture.unexpected()).hasSize(3)
                .anyMatch(s -> s.contains("boom"))
                .anyMatch(s -> s.contains("409"))
                .anyMatch(s -> s.contains("reconcile failed"));
    }
}

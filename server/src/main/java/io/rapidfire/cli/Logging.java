package io.rapidfire.cli;

import ch.qos.logback.classic.Level;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import org.slf4j.LoggerFactory;

/**
 * Applies RAPIDFIRE_LOG_LEVEL once the configuration is loaded, so it comes from the environment, a config file
 * or {@code --set} like every other setting (logback itself starts at INFO, before the settings are read).
 * Only Rapidfire's own loggers change: libraries stay at WARN (logback.xml).
 */
final class Logging {
    private Logging() {
    }

    static void apply(RapidfireConfig config) {
        // The OpenTelemetry SDK logs through java.util.logging (an export that fails, for one): through logback, so
        // its lines are masked and formatted like every other (text or JSON), never a second format on stderr.
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        Level level = Level.toLevel(config.get(Setting.RAPIDFIRE_LOG_LEVEL), Level.INFO);
        for (String name : new String[]{"io.rapidfire", "rapidfire.ingest"}) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(level);
        }
    }
}

package io.portcullis.cli;

import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigProblem;
import io.portcullis.server.PortcullisServer;
import io.portcullis.server.ServerStartException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP reloads the config file, as {@code nginx -s reload} does: a file that does not validate, or certificates that
 * do not load, are logged with {@code file:line:col} and the running config stays in service.
 */
final class ReloadOnHangup {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {
    }

    static void install(PortcullisServer server, Path file) {
        try {
            Signal.handle(new Signal("HUP"), signal -> reload(server, file));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP reload unavailable on this platform: {}", e.getMessage());
        }
    }

    static void reload(PortcullisServer server, Path file) {
        try {
            server.reload(ConfigSource.load(file));
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                LOG.error("reload refused, the running config is unchanged: {}", p);
            }
        } catch (ServerStartException e) {
            LOG.error(e.getMessage());
        }
    }
}

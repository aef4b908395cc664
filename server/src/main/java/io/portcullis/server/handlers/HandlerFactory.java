package io.portcullis.server.handlers;

import io.portcullis.config.HandlerConfig;
import io.portcullis.config.ProxyConfig;
import io.portcullis.config.RedirectConfig;
import io.portcullis.config.RespondConfig;
import io.portcullis.config.StaticConfig;
import io.portcullis.server.files.StaticFileHandler;
import io.portcullis.server.http.Handler;
import io.portcullis.server.proxy.ProxyHandler;
import io.portcullis.server.transport.Transport;

/** Builds the handler instance for a route's handler config. One place that knows every handler kind. */
public final class HandlerFactory {
    private final Transport transport;

    public HandlerFactory(Transport transport) {
        this.transport = transport;
    }

    public Handler create(HandlerConfig config) {
        if (config instanceof ProxyConfig proxy) {
            return new ProxyHandler(proxy, transport);
        }
        if (config instanceof StaticConfig files) {
            return new StaticFileHandler(files);
        }
        if (config instanceof RedirectConfig redirect) {
            return new RedirectHandler(redirect);
        }
        if (config instanceof RespondConfig respond) {
            return new RespondHandler(respond);
        }
        throw new IllegalArgumentException("unknown handler config " + config.getClass().getSimpleName());
    }
}

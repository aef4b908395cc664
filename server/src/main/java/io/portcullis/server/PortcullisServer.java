package io.portcullis.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.portcullis.certs.CertStore;
import io.portcullis.certs.CertStoreException;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.config.ServerConfig;
import io.portcullis.server.handlers.HandlerFactory;
import io.portcullis.server.certs.CertificateServices;
import io.portcullis.server.http3.AltSvc;
import io.portcullis.server.http3.Http3Listener;
import io.portcullis.server.log.AccessLog;
import io.portcullis.server.guard.ban.BanFile;
import io.portcullis.server.guard.ban.BanEnforcement;
import io.portcullis.server.guard.ban.BanList;
import io.portcullis.server.guard.ratelimit.LocalRateLimitStore;
import io.portcullis.server.guard.ratelimit.RateLimitStore;
import io.portcullis.server.log.AuditLog;
import io.portcullis.server.metrics.Metrics;
import io.portcullis.server.pipeline.Http1ConnectionHandler;
import io.portcullis.server.pipeline.HttpsChannelInitializer;
import io.portcullis.server.pipeline.RedirectChannelInitializer;
import io.portcullis.server.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Portcullis: the https listener (HTTP/1.1 and HTTP/2 over TLS), the http redirect listener, the current
 * compiled config and the means to stop gracefully. Built by {@link #start}; everything it opened is closed by
 * {@link #stop}.
 */
public final class PortcullisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortcullisServer.class);
    private static final int HTTPS_FALLBACK = 8443;
    private static final int HTTP_FALLBACK = 8080;
    /**
     * How often certificates are rebuilt from the config: short-lived local-CA leaves (7 days) are re-issued once past
     * half their life, so checking every few hours keeps a long-running server from ever serving an expired one.
     */
    private static final Duration CERT_REFRESH = Duration.ofHours(3);

    private final Transport transport;
    private final EventLoopGroup workers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicReference<ServerRuntime> runtime = new AtomicReference<>();
    private final ServerStats stats = new ServerStats();
    private final Metrics metrics = new Metrics().bindJvm();
    private final CertStore certs;
    private final AccessLog accessLog;
    private AuditLog audit;
    private final RateLimitStore rateLimits = new LocalRateLimitStore();
    private BanList bans;
    private final ScheduledExecutorService certRefresh = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("portcullis-cert-refresh", true));
    private final CertificateServices certServices;
    private Channel httpsChannel;
    private Channel httpChannel;
    private final AltSvc altSvc = new AltSvc();
    private Http3Listener http3;
    private volatile int httpsPort;
    private volatile boolean stopped;

    private PortcullisServer(Transport transport, ServerConfig settings, CertStore certs, AccessLog accessLog) {
        this.transport = transport;
        this.certs = certs;
        this.accessLog = accessLog;
        this.certServices = new CertificateServices(certs, () -> runtime.get().config(), this::refreshCertificates,
                (event, fields) -> runtime.get().audit(event, null, fields));
        metrics.gauge("portcullis.requests.in.flight", "Requests being answered", stats, ServerStats::inFlight);
        metrics.gauge("portcullis.connections.open", "Open client connections (TCP, and QUIC when HTTP/3 is on)",
                connections, java.util.Set::size);
        int workerThreads = settings.workers() > 0 ? settings.workers() : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(workerThreads, new DefaultThreadFactory("portcullis-io", true),
                settings.busyPoll());
    }

    /** Opens the listeners and starts serving {@code config}. */
    public static PortcullisServer start(PortcullisConfig config) throws ServerStartException {
        Transport transport = chooseTransport(config.server());
        CertStore certs;
        try {
            certs = CertStore.create(config);
        } catch (CertStoreException e) {
            throw new ServerStartException(e.getMessage(), e);
        }
        AccessLog accessLog;
        try {
            accessLog = AccessLog.open(config.accessLog());
        } catch (IOException e) {
            certs.close();
            throw new ServerStartException("access_log.output: cannot open " + config.accessLog().output() + ": "
                    + e.getMessage(), e);
        }
        PortcullisServer server = new PortcullisServer(transport, config.server(), certs, accessLog);
        try {
            server.audit = AuditLog.open(config.auditLog());
        } catch (IOException e) {
            server.stop(Duration.ZERO);
            throw new ServerStartException("audit_log: cannot open " + config.auditLog().output() + ": "
                    + e.getMessage(), e);
        }
        try {
            server.open(config);
        } catch (ServerStartException | RuntimeException e) {
            server.stop(Duration.ZERO);
            throw e;
        }
        return server;
    }

    /** The configured transport, or NIO with a warning saying why when its native library is unavailable. */
    static Transport chooseTransport(ServerConfig settings) {
        Transport transport = switch (settings.transport()) {
            case AUTO -> Transport.auto(settings.busyPoll());
            case EPOLL -> Transport.EPOLL;
            case IO_URING -> Transport.IO_URING;
            case NIO -> Transport.NIO;
        };
        if (!transport.isAvailable()) {
            LOG.warn("native {} transport unavailable ({}); using NIO", transport.name().toLowerCase(Locale.ROOT),
                    transport.unavailabilityCause());
            return Transport.NIO;
        }
        return transport;
    }

    /** Client connections open now (TCP, and QUIC when HTTP/3 is on): the {@code portcullis.connections.open} gauge. */
    public int openConnections() {
        return connections.size();
    }

    /** The socket implementation in use. */
    public Transport transport() {
        return transport;
    }

    private void open(PortcullisConfig config) throws ServerStartException {
        bans = new BanList(BanFile.in(config.dataDir()), new BanEnforcement(connections, runtime::get));
        runtime.set(ServerRuntime.compile(config, certs, new HandlerFactory(transport), accessLog, stats, audit,
                rateLimits, bans, altSvc, metrics));
        // portcullis ban add|remove edits the file; a running server notices within two seconds.
        certRefresh.scheduleWithFixedDelay(bans::reloadIfChanged, 2, 2, TimeUnit.SECONDS);
        ListenerBinder binder = new ListenerBinder(transport, workers);
        boolean fallback = config.listeners().fallbackPorts();
        var https = config.listeners().https();
        httpsChannel = binder.bind("https", https, fallback && https.port() != HTTPS_FALLBACK ? HTTPS_FALLBACK : 0,
                new HttpsChannelInitializer(certs.sniMapping(), runtime::get, stats, connections,
                        certServices.challenges(), certServices.staples()));
        httpsPort = ((InetSocketAddress) httpsChannel.localAddress()).getPort();
        openHttp3(config);
        var http = config.listeners().http();
        if (http.enabled()) {
            httpChannel = binder.bind("http", http, fallback && http.port() != HTTP_FALLBACK ? HTTP_FALLBACK : 0,
                    new RedirectChannelInitializer(runtime::get, connections, () -> httpsPort,
                            certServices.challenges()));
        }
        certServices.start(certRefresh, metrics); // ACME, file watching, OCSP, expiry warnings, admin endpoint
        certRefresh.scheduleWithFixedDelay(this::refreshCertificates, CERT_REFRESH.toMinutes(),
                CERT_REFRESH.toMinutes(), TimeUnit.MINUTES);
        LOG.info("Portcullis serving https on {} ({} TLS, {} transport){}; config: {}", httpsChannel.localAddress(),
                certs.provider(), transport.name().toLowerCase(Locale.ROOT),
                httpChannel == null ? "" : ", redirecting http on " + httpChannel.localAddress(),
                config.sourceName());
    }

    /**
     * Swaps in a new config without dropping a connection: certificates first (a failure there leaves everything as it
     * was), then the compiled sites and routes. Requests in flight finish on the runtime they started with; the old
     * handlers (upstream pools) are closed once the shutdown grace period has passed. Listener addresses, the access
     * log and the transport need a restart; a reload that changes them is refused so nothing half-applies.
     */
    public synchronized void reload(PortcullisConfig next) throws ServerStartException {
        ServerRuntime current = runtime.get();
        PortcullisConfig now = current.config();
        if (!now.listeners().equals(next.listeners()) || !now.accessLog().equals(next.accessLog())
                || !now.server().equals(next.server()) || !now.admin().equals(next.admin())
                || !now.auditLog().equals(next.auditLog())
                || !now.quic().withAltSvc(true).equals(next.quic().withAltSvc(true))) {
            current.audit("config_reload_refused", null, "source", next.sourceName(),
                    "reason", "listeners, access_log, audit_log, admin, server or quic changed");
            throw new ServerStartException("reload refused: listeners, access_log, audit_log, server, admin and quic "
                    + "settings (except quic.alt_svc) only change with a restart; the running config is unchanged");
        }
        try {
            certs.reload(next);
        } catch (CertStoreException e) {
            current.audit("config_reload_refused", null, "source", next.sourceName(), "reason", e.getMessage());
            throw new ServerStartException("reload refused, the running config is unchanged: " + e.getMessage(), e);
        }
        ServerRuntime compiled = ServerRuntime.compile(next, certs, new HandlerFactory(transport), accessLog, stats,
                audit, rateLimits, bans, altSvc, metrics);
        compiled.audit("config_reloaded", null, "source", next.sourceName());
        runtime.set(compiled);
        certRefresh.schedule(current::closeHandlers, now.limits().shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("config reloaded from {}", next.sourceName());
    }

    /**
     * HTTP/3 on the https port over UDP. Not fatal when it cannot start: h1/h2 keep serving, the log says why, and
     * Alt-Svc is not sent, so browsers never try a QUIC listener that is not there.
     */
    private void openHttp3(PortcullisConfig config) {
        if (!config.quic().enabled()) {
            return;
        }
        Throwable unavailable = Http3Listener.unavailabilityCause();
        if (unavailable != null) {
            LOG.warn("HTTP/3 disabled: the QUIC native library does not load ({})", unavailable.toString());
            return;
        }
        try {
            http3 = Http3Listener.bind(transport, workers, config.listeners().https().address(), httpsPort,
                    config.quic(), certs, runtime::get, connections);
            altSvc.listening(httpsPort);
            LOG.info("HTTP/3 (QUIC) on udp {}", http3.localAddress());
        } catch (Exception e) {
            LOG.error("HTTP/3 disabled: {}", ListenerBinder.explain(config.listeners().https().withPort(httpsPort),
                    e).replace("ss -ltnp", "ss -lunp"));
        }
    }

    /** The HTTP/3 listener, or {@code null} when it is off. */
    public Http3Listener http3() {
        return http3;
    }

    /** The bound UDP port of HTTP/3, or -1 when it is off. */
    public int http3Port() {
        return http3 == null ? -1 : http3.localAddress().getPort();
    }

    /** Rebuilds the certificate store from the current config; on failure the current certificates keep serving. */
    boolean refreshCertificates() {
        try {
            certs.reload(runtime.get().config());
            return true;
        } catch (CertStoreException | RuntimeException e) {
            LOG.error("certificate refresh failed; the current certificates keep serving: {}", e.getMessage());
            return false;
        }
    }

    /** ACME issuing and renewal, certificate files, OCSP, expiry warnings and the admin endpoint of this server. */
    public CertificateServices certServices() {
        return certServices;
    }

    public int httpsPort() {
        return httpsPort;
    }

    /** The bound http port, or -1 when the redirect listener is off. */
    public int httpPort() {
        return httpChannel == null ? -1 : ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    public ServerStats stats() {
        return stats;
    }

    /** The process's meters, scraped at the admin endpoint's {@code GET /metrics}. */
    public Metrics metrics() {
        return metrics;
    }

    public CertStore certs() {
        return certs;
    }

    public PortcullisConfig config() {
        return runtime.get().config();
    }

    /**
     * Graceful stop: listeners close at once, HTTP/2 connections get GOAWAY, HTTP/1.1 connections close after their
     * response in flight, and requests get up to {@code grace} to finish before the rest is closed.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        certRefresh.shutdownNow();
        certServices.close();
        altSvc.stopped();
        if (httpsChannel != null) {
            httpsChannel.close().syncUninterruptibly();
        }
        if (httpChannel != null) {
            httpChannel.close().syncUninterruptibly();
        }
        for (Channel ch : connections) {
            Http1ConnectionHandler h1 = ch.pipeline().get(Http1ConnectionHandler.class);
            if (h1 != null) {
                h1.drain();
            } else if (Http3Listener.sendGoAway(ch)) {
                // QUIC connections close with the others below, once requests in flight are done.
                continue;
            } else if (ch.pipeline().get(Http2FrameCodec.class) != null) {
                ch.close();
            } else if (stats.inFlight() == 0 || grace.isZero()) {
                ch.close();
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stats.inFlight() > 0) {
            LOG.warn("shutdown grace period over; closing {} requests still in flight", stats.inFlight());
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (http3 != null) {
            // After the QUIC connections: closing the UDP socket first would cut them without CONNECTION_CLOSE.
            http3.close();
        }
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        ServerRuntime rt = runtime.get();
        if (rt != null) {
            rt.closeHandlers();
        }
        if (audit != null) {
            audit.close();
        }
        if (bans != null) {
            bans.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
        certs.close();
        metrics.close();
        LOG.info("Portcullis stopped");
    }

    @Override
    public void close() {
        stop(runtime.get() == null ? Duration.ZERO : runtime.get().config().limits().shutdownGrace());
    }
}

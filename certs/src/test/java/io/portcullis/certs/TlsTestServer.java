package io.portcullis.certs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SniHandler;

/** A Netty server on 127.0.0.1 that only does the handshake, with the store's SNI mapping, and a JDK client. */
final class TlsTestServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    TlsTestServer(CertStore store) throws InterruptedException {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SniHandler(store.sniMapping()));
                        ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable t) {
                                ctx.close(); // refused handshakes are what some tests expect
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** What a handshake settled on. */
    record Result(X509Certificate leaf, String protocol, String cipher, String alpn) {
    }

    /**
     * Handshakes as a JDK client.
     *
     * @param sni      server name to send, or {@code null} for none
     * @param ciphers  suites to offer, or {@code null} for the JDK default
     * @param protocol single protocol to offer, or {@code null} for TLS 1.3 + 1.2
     */
    Result handshake(Supplier<SSLContext> client, String sni, String[] ciphers, String protocol, String... alpn)
            throws IOException {
        try (SSLSocket s = (SSLSocket) client.get().getSocketFactory().createSocket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            if (ciphers != null) {
                p.setCipherSuites(ciphers);
            }
            p.setProtocols(protocol == null ? new String[] {"TLSv1.3", "TLSv1.2"} : new String[] {protocol});
            if (alpn.length > 0) {
                p.setApplicationProtocols(alpn);
            }
            s.setSSLParameters(p);
            s.startHandshake();
            return new Result((X509Certificate) s.getSession().getPeerCertificates()[0], s.getSession().getProtocol(),
                    s.getSession().getCipherSuite(), s.getApplicationProtocol());
        }
    }

    /**
     * Fresh client contexts trusting exactly {@code anchors}. Fresh, because a JDK client that holds a session for
     * 127.0.0.1:port offers it again and then sends that session's SNI instead of the one asked for.
     */
    static Supplier<SSLContext> clientTrusting(List<X509Certificate> anchors) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            ks.setCertificateEntry("anchor" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        return () -> {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                return ctx;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Runs {@code openssl s_client} against this server; returns exit code and output. */
    OpensslResult opensslClient(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close(); // no input: s_client ends after the handshake
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl s_client hung: " + out);
        }
        return new OpensslResult(p.exitValue(), out);
    }

    record OpensslResult(int exitCode, String output) {
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

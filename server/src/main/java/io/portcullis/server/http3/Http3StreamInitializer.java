package io.portcullis.server.http3;

import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.Http3FrameToHttpObjectCodec;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.portcullis.server.ServerRuntime;
import io.portcullis.server.exchange.ConnectionInfo;
import io.portcullis.server.guard.ClientCertGuard;
import io.portcullis.server.exchange.RequestDispatcher;
import io.portcullis.server.http.Protocol;
import io.portcullis.server.http.TlsInfo;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;

/**
 * One HTTP/3 request stream: frames to Netty's HTTP objects, then the same dispatcher as HTTP/1.1 and HTTP/2. Auto-read
 * is off so an unread request body holds back the stream's QUIC flow-control credit: the upload backpressure.
 */
final class Http3StreamInitializer extends ChannelInitializer<QuicStreamChannel> {
    private final Supplier<ServerRuntime> runtime;
    private final Http3ProtocolErrorAudit errors;

    Http3StreamInitializer(Supplier<ServerRuntime> runtime, Http3ProtocolErrorAudit errors) {
        this.runtime = runtime;
        this.errors = errors;
    }

    @Override
    protected void initChannel(QuicStreamChannel ch) {
        ch.config().setAutoRead(false);
        // Before the codec: it would otherwise take Netty's HTTP/3 exceptions itself (and only log them).
        ch.pipeline().addLast(errors);
        ch.pipeline().addLast(new Http3FrameToHttpObjectCodec(true, true));
        ch.pipeline().addLast(new RequestDispatcher(runtime, Protocol.HTTP_3, connectionInfo(ch.parent())));
    }

    private static ConnectionInfo connectionInfo(QuicChannel quic) {
        SSLSession session = quic.sslEngine() == null ? null : quic.sslEngine().getSession();
        String serverName = null;
        if (session instanceof javax.net.ssl.ExtendedSSLSession ext) {
            for (var name : ext.getRequestedServerNames()) {
                if (name instanceof javax.net.ssl.SNIHostName host) {
                    serverName = host.getAsciiName();
                }
            }
        }
        // A request stream that opens before the handshake completed was sent in 0-RTT (only possible with
        // quic.early_data: true): the QUIC channel becomes active when the handshake is done (and inactive again
        // when it closes, which is not early).
        boolean earlyData = quic.isOpen() && !quic.isActive();
        TlsInfo tls = new TlsInfo(session == null ? "TLSv1.3" : session.getProtocol(),
                session == null ? null : session.getCipherSuite(), serverName, "h3",
                ClientCertGuard.subject(quic.sslEngine()), earlyData);
        return new ConnectionInfo((InetSocketAddress) quic.remoteSocketAddress(),
                (InetSocketAddress) quic.localSocketAddress(), tls, "https");
    }
}

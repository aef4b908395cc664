package io.portcullis.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.concurrent.Future;
import io.portcullis.certs.acme.AcmeChallenges;
import io.portcullis.tls.wire.ClientHello;
import io.portcullis.tls.wire.ClientHelloParser;
import io.portcullis.tls.wire.HandshakeMessage;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Netty's {@link SniHandler} plus TLS-ALPN-01 (RFC 8737): a ClientHello that offers ALPN {@code acme-tls/1} for a host
 * whose validation is in flight gets the validation certificate; every other handshake gets the site's certificate
 * as before. The ClientHello is parsed a second time only while a validation is in flight. It also staples the
 * chosen certificate's OCSP response, when one is at hand (fetched in the background by the OCSP stapler).
 */
final class AcmeAwareSniHandler extends SniHandler {
    /** ALPN (RFC 7301) extension type. */
    private static final int ALPN = 16;

    private final AcmeChallenges challenges;
    private final Function<SslContext, byte[]> staples;
    private boolean offersAcmeTls;

    /** @param staples the OCSP response to staple for a context, or null; the function itself may be null */
    AcmeAwareSniHandler(Mapping<String, SslContext> mapping, AcmeChallenges challenges,
                        Function<SslContext, byte[]> staples, int maxClientHelloLength, long handshakeTimeoutMillis) {
        super(mapping, maxClientHelloLength, handshakeTimeoutMillis);
        this.challenges = challenges;
        this.staples = staples;
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        if (staples != null && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            byte[] staple = staples.apply(context);
            if (staple != null) {
                engine.setOcspResponse(staple);
            }
        }
        return handler;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        offersAcmeTls = challenges.hasTlsAlpn01() && offersAcmeTls(clientHello);
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) throws Exception {
        if (offersAcmeTls && hostname != null) {
            SslContext validation = challenges.tlsAlpn01(hostname);
            if (validation != null) {
                return ctx.executor().newSucceededFuture(validation);
            }
        }
        return super.lookup(ctx, hostname);
    }

    /** Whether the ClientHello body's ALPN list names {@code acme-tls/1}; malformed input just says no. */
    static boolean offersAcmeTls(ByteBuf clientHello) {
        try {
            byte[] body = ByteBufUtil.getBytes(clientHello, clientHello.readerIndex(), clientHello.readableBytes());
            ClientHello hello = ClientHelloParser.parse(new HandshakeMessage(1, body));
            byte[] alpn = hello.extensions().get(ALPN);
            if (alpn == null || alpn.length < 2) {
                return false;
            }
            int end = Math.min(alpn.length, 2 + (((alpn[0] & 0xff) << 8) | (alpn[1] & 0xff)));
            for (int i = 2; i < end; ) {
                int len = alpn[i] & 0xff;
                if (i + 1 + len > end) {
                    return false;
                }
                if (new String(alpn, i + 1, len, StandardCharsets.US_ASCII).equals(AcmeChallenges.ACME_TLS_1)) {
                    return true;
                }
                i += 1 + len;
            }
            return false;
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}

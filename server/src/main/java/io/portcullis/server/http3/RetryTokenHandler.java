package io.portcullis.server.http3;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation (RFC 9000 8.1) with Retry tokens nobody else can mint: a token is its expiry, an
 * HMAC-SHA256 over that expiry, the client's IP address and the original destination connection id, and that id.
 * The key is random and lives only in this process, so tokens are worthless anywhere else and after a restart; a
 * token is accepted only from the address it was given to and for {@link #LIFETIME_MILLIS}.
 *
 * <p>Whether a connection without a token is sent a Retry at all is {@code retryNow}'s decision: always, or only
 * while the server is under a handshake load (see {@code quic.address_validation}). A Retry costs an honest client a
 * round trip, and saves the server the handshake work for an address that cannot receive.
 */
final class RetryTokenHandler implements QuicTokenHandler {
    /** A Retry token is used by the client's very next packet; ten seconds covers any real round trip. */
    static final long LIFETIME_MILLIS = 10_000;
    private static final int EXPIRY_BYTES = 8;
    private static final int MAC_BYTES = 32;
    private static final int MAX_CONNECTION_ID = 20;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final BooleanSupplier retryNow;
    private final Runnable onRetry;
    private final Clock clock;

    RetryTokenHandler(BooleanSupplier retryNow, Runnable onRetry, Clock clock) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.retryNow = retryNow;
        this.onRetry = onRetry;
        this.clock = clock;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
        if (!retryNow.getAsBoolean()) {
            return false;
        }
        long expiry = clock.millis() + LIFETIME_MILLIS;
        out.writeLong(expiry);
        out.writeBytes(mac(expiry, address, dcid, dcid.readerIndex(), dcid.readableBytes()));
        out.writeBytes(dcid, dcid.readerIndex(), dcid.readableBytes());
        onRetry.run();
        return true;
    }

    @Override
    public int validateToken(ByteBuf token, InetSocketAddress address) {
        int start = token.readerIndex();
        int idLength = token.readableBytes() - EXPIRY_BYTES - MAC_BYTES;
        if (idLength < 0 || idLength > MAX_CONNECTION_ID) {
            return -1;
        }
        long expiry = token.getLong(start);
        if (expiry < clock.millis()) {
            return -1;
        }
        byte[] given = new byte[MAC_BYTES];
        token.getBytes(start + EXPIRY_BYTES, given);
        int idStart = start + EXPIRY_BYTES + MAC_BYTES;
        byte[] expected = mac(expiry, address, token, idStart, idLength);
        // Constant time: a timing difference would let an attacker find a valid MAC byte by byte.
        return MessageDigest.isEqual(given, expected) ? EXPIRY_BYTES + MAC_BYTES : -1;
    }

    private byte[] mac(long expiry, InetSocketAddress address, ByteBuf id, int idStart, int idLength) {
        Mac mac = macs.get();
        for (int i = 7; i >= 0; i--) {
            mac.update((byte) (expiry >>> (i * 8)));
        }
        byte[] ip = address.getAddress().getAddress();
        mac.update((byte) ip.length);
        mac.update(ip);
        for (int i = 0; i < idLength; i++) {
            mac.update(id.getByte(idStart + i));
        }
        return mac.doFinal();
    }

    @Override
    public int maxTokenLength() {
        return EXPIRY_BYTES + MAC_BYTES + MAX_CONNECTION_ID;
    }
}

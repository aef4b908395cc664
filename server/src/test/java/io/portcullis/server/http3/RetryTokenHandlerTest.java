package io.portcullis.server.http3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTokenHandlerTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 4433);
    private static final byte[] ODCID = {1, 2, 3, 4, 5, 6, 7, 8};

    private final MutableClock clock = new MutableClock();
    private final AtomicBoolean underLoad = new AtomicBoolean(true);
    private final AtomicInteger retries = new AtomicInteger();
    private final RetryTokenHandler handler = new RetryTokenHandler(underLoad::get, retries::incrementAndGet, clock);

    private ByteBuf mint(InetSocketAddress to) {
        ByteBuf token = Unpooled.buffer();
        assertThat(handler.writeToken(token, Unpooled.wrappedBuffer(ODCID), to)).isTrue();
        return token;
    }

    @Test
    void noRetryUnlessAskedFor() {
        underLoad.set(false);
        ByteBuf out = Unpooled.buffer();
        assertThat(handler.writeToken(out, Unpooled.wrappedBuffer(ODCID), CLIENT)).isFalse();
        assertThat(out.readableBytes()).isZero();
        assertThat(retries).hasValue(0);
    }

    @Test
    void tokenIsValidFromItsAddressAndCarriesTheOriginalConnectionId() {
        ByteBuf token = mint(CLIENT);
        assertThat(retries).hasValue(1);
        assertThat(token.readableBytes()).isLessThanOrEqualTo(handler.maxTokenLength());
        int offset = handler.validateToken(token, CLIENT);
        assertThat(offset).isPositive();
        byte[] odcid = new byte[token.readableBytes() - offset];
        token.getBytes(offset, odcid);
        assertThat(odcid).isEqualTo(ODCID);
        // Another port of the same address (a NAT rebinding) is still the same client.
        assertThat(handler.validateToken(token, new InetSocketAddress("192.0.2.7", 5555))).isEqualTo(offset);
    }

    @Test
    void tokenFromAnotherAddressIsRefused() {
        ByteBuf token = mint(CLIENT);
        assertThat(handler.validateToken(token, new InetSocketAddress("192.0.2.8", 4433))).isEqualTo(-1);
        assertThat(handler.validateToken(token, new InetSocketAddress("::ffff:c000:208", 4433))).isEqualTo(-1);
    }

    @Test
    void tamperedTruncatedOrForeignTokensAreRefused() {
        ByteBuf token = mint(CLIENT);
        for (int i = 0; i < token.readableBytes(); i++) {
            ByteBuf copy = token.copy();
            copy.setByte(i, copy.getByte(i) ^ 0x01);
            assertThat(handler.validateToken(copy, CLIENT)).as("bit flipped in byte %d", i).isEqualTo(-1);
        }
        assertThat(handler.validateToken(token.slice(0, 39), CLIENT)).isEqualTo(-1);
        assertThat(handler.validateToken(Unpooled.EMPTY_BUFFER, CLIENT)).isEqualTo(-1);
        // Another process (another random key) cannot mint tokens this one accepts.
        RetryTokenHandler other = new RetryTokenHandler(() -> true, () -> { }, clock);
        ByteBuf foreign = Unpooled.buffer();
        other.writeToken(foreign, Unpooled.wrappedBuffer(ODCID), CLIENT);
        assertThat(handler.validateToken(foreign, CLIENT)).isEqualTo(-1);
    }

    @Test
    void tokenExpires() {
        ByteBuf token = mint(CLIENT);
        clock.now = clock.now.plusMillis(RetryTokenHandler.LIFETIME_MILLIS);
        assertThat(handler.validateToken(token, CLIENT)).isPositive();
        clock.now = clock.now.plusMillis(1);
        assertThat(handler.validateToken(token, CLIENT)).isEqualTo(-1);
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

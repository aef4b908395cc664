package io.portcullis.certs;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session-ticket keys for the BoringSSL contexts: a new random key every rotation period, installed first (it
 * encrypts new tickets) with the previous two behind it (they still decrypt tickets issued up to two periods ago).
 * Keeping the key lifetime short bounds how much recorded traffic a leaked ticket key exposes, which is the forward
 * secrecy cost of tickets. Rotation runs on one daemon thread. JSSE contexts manage their own ticket keys.
 */
final class TicketKeyRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TicketKeyRotator.class);
    /** The current key plus the previous two. */
    static final int KEYS_KEPT = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Collection<SslContext>> contexts;
    private final ScheduledExecutorService scheduler;
    private volatile List<OpenSslSessionTicketKey> keys = List.of();

    /**
     * @param contexts the contexts to key; asked again at every rotation so contexts added by a reload are covered
     */
    TicketKeyRotator(Supplier<Collection<SslContext>> contexts, Duration period) {
        this.contexts = contexts;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-ticket-keys");
            t.setDaemon(true);
            return t;
        });
        rotate();
        long millis = Math.max(1, period.toMillis());
        scheduler.scheduleAtFixedRate(this::rotateQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Makes a new key and installs the ring into every context. */
    synchronized void rotate() {
        List<OpenSslSessionTicketKey> ring = new ArrayList<>(KEYS_KEPT);
        ring.add(newKey());
        for (OpenSslSessionTicketKey old : keys) {
            if (ring.size() == KEYS_KEPT) {
                break;
            }
            ring.add(old);
        }
        keys = List.copyOf(ring);
        contexts.get().forEach(this::install);
    }

    /** Gives a context built after the last rotation (e.g. by a reload) the current ring. */
    void install(SslContext context) {
        if (context.sessionContext() instanceof OpenSslSessionContext session) {
            // Setting keys also turns tickets on: Netty creates OpenSSL contexts with SSL_OP_NO_TICKET.
            session.setTicketKeys(keys.toArray(new OpenSslSessionTicketKey[0]));
        }
    }

    /** The key names, newest first (for tests and diagnostics; never the secret parts). */
    List<byte[]> keyNames() {
        return keys.stream().map(k -> Arrays.copyOf(k.name(), k.name().length)).toList();
    }

    private void rotateQuietly() {
        try {
            rotate();
        } catch (RuntimeException e) {
            // Keep the old keys and try again next period; a failed rotation must not stop the schedule.
            LOG.warn("session ticket key rotation failed; keeping the current keys", e);
        }
    }

    private static OpenSslSessionTicketKey newKey() {
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        RANDOM.nextBytes(name);
        RANDOM.nextBytes(hmac);
        RANDOM.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

package io.portcullis.certs;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Short key lifetimes bound how much recorded traffic a leaked ticket key exposes, which is the forward-secrecy cost
 * of tickets. Rotation runs on one daemon thread. JSSE contexts manage their own ticket keys.
 *
 * <p>Every site has its own key ring. With one shared ring a ticket issued for site A would be accepted in a
 * handshake for site B (Netty gives all server contexts the same session-ID context), resuming A's session - and
 * A's certificate - under B's name. Rings are keyed by a site id that survives reloads, so resumption does too.
 */
final class TicketKeyRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TicketKeyRotator.class);
    /** The current key plus the previous two. */
    static final int KEYS_KEPT = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<Map<String, SslContext>> contextsBySite;
    private final ScheduledExecutorService scheduler;
    private Map<String, List<OpenSslSessionTicketKey>> rings = new HashMap<>(); // guarded by this

    /**
     * @param contextsBySite the contexts to key by site id; asked again at every rotation so contexts added by a
     *                       reload are covered and removed sites are forgotten
     */
    TicketKeyRotator(Supplier<Map<String, SslContext>> contextsBySite, Duration period) {
        this.contextsBySite = contextsBySite;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-ticket-keys");
            t.setDaemon(true);
            return t;
        });
        rotate();
        long millis = Math.max(1, period.toMillis());
        scheduler.scheduleAtFixedRate(this::rotateQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Makes a new key per site and installs each site's ring into its context. */
    synchronized void rotate() {
        Map<String, List<OpenSslSessionTicketKey>> next = new HashMap<>();
        for (Map.Entry<String, SslContext> e : contextsBySite.get().entrySet()) {
            List<OpenSslSessionTicketKey> ring = new ArrayList<>(KEYS_KEPT);
            ring.add(newKey());
            for (OpenSslSessionTicketKey old : rings.getOrDefault(e.getKey(), List.of())) {
                if (ring.size() == KEYS_KEPT) {
                    break;
                }
                ring.add(old);
            }
            next.put(e.getKey(), List.copyOf(ring));
            install(e.getValue(), next.get(e.getKey()));
        }
        rings = next;
    }

    /** Gives a context built after the last rotation (by a reload) its site's current ring. */
    synchronized void install(String siteId, SslContext context) {
        install(context, rings.computeIfAbsent(siteId, id -> List.of(newKey())));
    }

    private static void install(SslContext context, List<OpenSslSessionTicketKey> ring) {
        if (context.sessionContext() instanceof OpenSslSessionContext session) {
            // Setting keys also turns tickets on: Netty creates OpenSSL contexts with SSL_OP_NO_TICKET.
            session.setTicketKeys(ring.toArray(new OpenSslSessionTicketKey[0]));
        }
    }

    /** A site's key names, newest first (for tests and diagnostics; never the secret parts). */
    synchronized List<byte[]> keyNames(String siteId) {
        return rings.getOrDefault(siteId, List.of()).stream()
                .map(k -> Arrays.copyOf(k.name(), k.name().length)).toList();
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

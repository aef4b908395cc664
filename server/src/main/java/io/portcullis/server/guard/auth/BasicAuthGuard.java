package io.portcullis.server.guard.auth;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.portcullis.config.BasicAuthConfig;
import io.portcullis.server.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP basic authentication against bcrypt hashes. A bcrypt check costs tens of milliseconds by design, so it never
 * runs on an event loop: it runs on a small pool and the request continues on its event loop afterwards. Credentials
 * that checked out are remembered (by a SHA-256 of user, password and hash, never the password itself) so a logged-in
 * client pays once, not per request. The pool's queue is bounded: a flood of guesses gets 503, not unbounded memory.
 */
public final class BasicAuthGuard {
    private static final ThreadPoolExecutor VERIFIERS = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1024), r -> {
                Thread t = new Thread(r, "portcullis-bcrypt");
                t.setDaemon(true);
                return t;
            });
    private static final int MAX_REMEMBERED = 10_000;
    private static final Map<String, Boolean> VERIFIED = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    private BasicAuthGuard() {
    }

    /**
     * Runs {@code next} (on the exchange's event loop) when the request carries valid credentials; otherwise answers
     * 401 with a challenge. {@code onFailure} is told of a wrong password (for audit and bans).
     */
    public static void authorize(Exchange exchange, BasicAuthConfig config, Runnable next, Runnable onFailure) {
        String header = exchange.request().headers().get(HttpHeaderNames.AUTHORIZATION);
        String[] credentials = decode(header);
        String hash = credentials == null ? null : config.users().get(credentials[0]);
        if (hash == null) {
            challenge(exchange, config);
            if (credentials != null) {
                onFailure.run();
            }
            return;
        }
        String key = key(credentials[0], credentials[1], hash);
        synchronized (VERIFIED) {
            if (VERIFIED.get(key) != null) {
                exchange.logAttribute("user", credentials[0]);
                next.run();
                return;
            }
        }
        try {
            VERIFIERS.execute(() -> {
                boolean ok = OpenBSDBCrypt.checkPassword(hash, credentials[1].toCharArray());
                if (ok) {
                    synchronized (VERIFIED) {
                        VERIFIED.put(key, Boolean.TRUE);
                    }
                }
                exchange.eventLoop().execute(() -> {
                    if (exchange.isDone()) {
                        return; // the client went away meanwhile
                    }
                    if (ok) {
                        exchange.logAttribute("user", credentials[0]);
                        next.run();
                    } else {
                        challenge(exchange, config);
                        onFailure.run();
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            exchange.sendError(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    new DefaultHttpHeaders().set(HttpHeaderNames.RETRY_AFTER, 1));
        }
    }

    private static void challenge(Exchange exchange, BasicAuthConfig config) {
        exchange.sendError(HttpResponseStatus.UNAUTHORIZED, new DefaultHttpHeaders().set(
                HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + config.realm() + "\", charset=\"UTF-8\""));
    }

    /** {user, password} from {@code Basic base64(user:password)}, or null. */
    static String[] decode(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String s = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return colon <= 0 ? null : new String[]{s.substring(0, colon), s.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String key(String user, String password, String hash) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(user.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(password.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(hash.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

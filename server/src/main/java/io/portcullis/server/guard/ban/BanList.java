package io.portcullis.server.guard.ban;

import io.portcullis.config.BansConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bans of one server: checked at accept, fed with security events, persisted to {@link BanFile} so bans survive a
 * restart, and re-read when the file changes (that is how {@code portcullis ban add|remove} reaches a running server).
 * Event windows are bounded (least recently seen addresses are forgotten past {@link #MAX_TRACKED}), so spoofed
 * sources cannot grow memory without bound. A {@link Listener} hears of every ban that starts (so the server can close
 * the address's open connections) and of bans the file adds or lifts.
 */
public final class BanList implements AutoCloseable {
    /** Told of changes to the list; called on the thread that made them, so it must not block. */
    public interface Listener {
        /**
         * An address was banned: by a rule here ({@code fromFile} false; the caller of {@link #observe} audits that)
         * or by an edit of the file ({@code portcullis ban add}) found at a re-read.
         */
        void banned(Ban ban, boolean fromFile);

        /** An edit of the file ({@code portcullis ban remove}) lifted the ban of an address. */
        void unbanned(Ban ban);
    }

    private static final Logger LOG = LoggerFactory.getLogger(BanList.class);
    static final int MAX_TRACKED = 100_000;

    private final Path file;
    private final Map<String, Ban> bans = new ConcurrentHashMap<>();
    /** address + rule index -> recent event times (millis), at most the rule's count. */
    private final Map<String, Deque<Long>> windows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_TRACKED;
        }
    };
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portcullis-ban-file");
        t.setDaemon(true);
        return t;
    });
    private final Listener listener;
    private volatile FileTime loadedAt;

    /** Loads the file; the bans found there at start are restored, not reported to {@code listener} as new. */
    public BanList(Path file, Listener listener) {
        this.file = file;
        this.listener = listener;
        read(false);
    }

    /** True when no address is banned, expired bans included: lets the request path skip formatting the address. */
    public boolean isEmpty() {
        return bans.isEmpty();
    }

    public boolean isBanned(String address, Instant now) {
        Ban b = bans.get(address);
        return b != null && b.activeAt(now);
    }

    public List<Ban> active(Instant now) {
        return bans.values().stream().filter(b -> b.activeAt(now)).toList();
    }

    /**
     * Counts one event for an address against the rules; when a rule fires, bans the address.
     *
     * @param onBan told of a new ban (for the audit log)
     */
    public void observe(String event, String address, BansConfig config, Instant now, BiConsumer<Ban, String> onBan) {
        List<BansConfig.Rule> rules = config.rules();
        for (int i = 0; i < rules.size(); i++) {
            BansConfig.Rule rule = rules.get(i);
            if (!rule.events().contains(event) || isBanned(address, now)) {
                continue;
            }
            boolean fire;
            synchronized (windows) {
                Deque<Long> times = windows.computeIfAbsent(address + "#" + i, k -> new ArrayDeque<>());
                long cutoff = now.toEpochMilli() - rule.within().toMillis();
                while (!times.isEmpty() && times.peekFirst() <= cutoff) {
                    times.pollFirst();
                }
                times.addLast(now.toEpochMilli());
                fire = times.size() >= rule.count();
                if (fire) {
                    windows.remove(address + "#" + i);
                }
            }
            if (fire) {
                String reason = "rule " + i + ": " + rule.count() + " of " + String.join("/", rule.events())
                        + " within " + rule.within().toSeconds() + "s";
                onBan.accept(ban(address, config, now, reason), reason);
            }
        }
    }

    /** Bans an address: the first ban lasts {@code duration}, each repeat twice the last, capped. */
    public Ban ban(String address, BansConfig config, Instant now, String reason) {
        Ban b = bans.compute(address, (k, old) -> {
            int strikes = old == null ? 1 : old.strikes() + 1;
            Duration d = config.duration().multipliedBy(1L << Math.min(strikes - 1, 30));
            if (d.compareTo(config.maxDuration()) > 0 || d.isNegative()) {
                d = config.maxDuration();
            }
            return new Ban(address, now.plus(d), strikes, reason);
        });
        persist();
        listener.banned(b, false);
        return b;
    }

    /**
     * Re-reads the file when it changed since the last read or write (another process edited it), and tells the
     * listener of the bans that edit started or lifted.
     */
    public void reloadIfChanged() {
        read(true);
    }

    private synchronized void read(boolean report) {
        try {
            FileTime mtime = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (mtime == null && loadedAt == null || mtime != null && mtime.equals(loadedAt)) {
                return;
            }
            Map<String, Ban> fresh = new java.util.HashMap<>();
            for (Ban b : BanFile.read(file)) {
                fresh.put(b.address(), b);
            }
            Instant now = Instant.now();
            Map<String, Ban> before = Map.copyOf(bans);
            bans.keySet().retainAll(fresh.keySet());
            bans.putAll(fresh);
            loadedAt = mtime;
            if (report) {
                reportChanges(before, fresh, now);
            }
        } catch (IOException e) {
            LOG.warn("cannot read the ban list {}: {}", file, e.toString());
        }
    }

    private void reportChanges(Map<String, Ban> before, Map<String, Ban> after, Instant now) {
        for (Ban b : after.values()) {
            Ban old = before.get(b.address());
            if (b.activeAt(now) && (old == null || !old.activeAt(now))) {
                listener.banned(b, true);
            }
        }
        for (Ban old : before.values()) {
            Ban b = after.get(old.address());
            if (old.activeAt(now) && (b == null || !b.activeAt(now))) {
                listener.unbanned(old);
            }
        }
    }

    private void persist() {
        writer.execute(() -> {
            synchronized (this) {
                try {
                    BanFile.write(file, new ArrayList<>(bans.values()));
                    loadedAt = Files.getLastModifiedTime(file);
                } catch (IOException e) {
                    LOG.warn("cannot write the ban list {}: {}", file, e.toString());
                }
            }
        });
    }

    @Override
    public void close() {
        writer.shutdown();
    }
}

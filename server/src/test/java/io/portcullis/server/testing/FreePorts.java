package io.portcullis.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for configs that must name a port before anything binds it (Pebble, upstreams, ports nobody listens on).
 * They come from below the kernel's ephemeral range: a port taken from that range by binding port 0 could be handed
 * out again, before its user bound it, to a server under test listening on port 0 or to an outgoing connection. That
 * happened once: Pebble's port went to a Portcullis listener, and the ACME client met plain HTTP there.
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;
    private static final int HIGHEST = ephemeralLow() - 1;
    /** Walks the range from a random start, so that no port is handed out twice before it is bound. */
    private static final AtomicInteger NEXT = new AtomicInteger(
            ThreadLocalRandom.current().nextInt(LOWEST, Math.max(LOWEST + 1, HIGHEST)));

    private FreePorts() {
    }

    /**
     * A loopback port that was free a moment ago and that the kernel does not hand out for port 0. Unchecked, so that
     * static fields can take one: no test can go on without its port.
     */
    public static int take() {
        if (HIGHEST - LOWEST < 1_000) {
            return anyFree(); // an unusual ephemeral range: fall back to the kernel's choice
        }
        for (int tries = 0; tries < 1_000; tries++) {
            int port = LOWEST + Math.floorMod(NEXT.getAndIncrement() - LOWEST, HIGHEST - LOWEST + 1);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException inUse) {
                // taken by someone else: try the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + LOWEST + "-" + HIGHEST));
    }

    private static int anyFree() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }
}

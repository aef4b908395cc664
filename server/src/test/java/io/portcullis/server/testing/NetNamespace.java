package io.portcullis.server.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the host by a veth pair, so a test can send requests from a real non-loopback source
 * address: the host side is {@code 10.X.Y.1/24}, the namespace side {@code 10.X.Y.2/24}. Needs root (tests run as
 * root here). The subnet is random so helpers running at once do not collide. {@link #close()} deletes the namespace,
 * which deletes the veth pair with it.
 */
public final class NetNamespace implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final String hostAddress;
    private final String nsAddress;
    private final String subnet;

    private NetNamespace(String name, String subnetPrefix) {
        this.name = name;
        this.subnet = subnetPrefix + ".0/24";
        this.hostAddress = subnetPrefix + ".1";
        this.nsAddress = subnetPrefix + ".2";
    }

    /** Creates the namespace and the veth pair, addresses up; on failure, undoes what it did and throws. */
    public static NetNamespace create() throws IOException, InterruptedException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int tag = r.nextInt(1, 0xffff);
        String prefix = "10." + (200 + r.nextInt(50)) + "." + r.nextInt(1, 255);
        NetNamespace ns = new NetNamespace("pcg" + Integer.toHexString(tag), prefix);
        String hostIf = "pch" + Integer.toHexString(tag);
        String nsIf = "pcn" + Integer.toHexString(tag);
        try {
            ns.must("ip", "netns", "add", ns.name);
            ns.must("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
            ns.must("ip", "link", "set", nsIf, "netns", ns.name);
            ns.must("ip", "addr", "add", ns.hostAddress + "/24", "dev", hostIf);
            ns.must("ip", "link", "set", hostIf, "up");
            ns.must("ip", "netns", "exec", ns.name, "ip", "addr", "add", ns.nsAddress + "/24", "dev", nsIf);
            ns.must("ip", "netns", "exec", ns.name, "ip", "link", "set", nsIf, "up");
            ns.must("ip", "netns", "exec", ns.name, "ip", "link", "set", "lo", "up");
            return ns;
        } catch (IOException | RuntimeException e) {
            ns.close();
            Processes.run(TIMEOUT, "ip", "link", "del", hostIf);
            throw e;
        }
    }

    /**
     * {@link #create()} for a test class's static field, which must exist before the server extension builds its
     * config from the subnet: a failure is unchecked, and says that root is needed.
     */
    public static NetNamespace createForTestClass() {
        try {
            return create();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw new IllegalStateException("cannot create a test network namespace (root needed)", e);
        }
    }

    /** The host's address on the link: what a client in the namespace connects to. */
    public String hostAddress() {
        return hostAddress;
    }

    /** The source address requests from the namespace carry. */
    public String nsAddress() {
        return nsAddress;
    }

    /** The /24 of the link, e.g. {@code 10.201.7.0/24}. */
    public String subnet() {
        return subnet;
    }

    /** Runs a command inside the namespace. */
    public Processes.Result exec(Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return Processes.run(timeout, full);
    }

    /** Starts a long-running command inside the namespace (a client holding a connection open), stderr merged. */
    public Process start(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return new ProcessBuilder(full).redirectErrorStream(true).start();
    }

    private void must(String... command) throws IOException, InterruptedException {
        Processes.Result r = Processes.run(TIMEOUT, command);
        if (!r.ok()) {
            throw new IOException(String.join(" ", command) + ": " + r);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Processes.run(TIMEOUT, "ip", "netns", "del", name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

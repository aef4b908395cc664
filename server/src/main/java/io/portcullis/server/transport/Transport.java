package io.portcullis.server.transport;

import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/**
 * The socket implementation: Linux epoll or io_uring natively, NIO as the portable fallback. One choice per process;
 * every channel (listeners, upstream connections, UDP) must use the same one as its event loop.
 */
public enum Transport {
    IO_URING, EPOLL, NIO;

    /**
     * How many ready sockets one epoll_wait hands the event loop. Netty 4.2's epoll is level-triggered, and the kernel
     * puts every socket a level-triggered epoll_wait reports back at the tail of its ready list, in the order reported:
     * at the next wait they come first again, while a socket whose data arrived in between (the one served last,
     * whose client had not answered yet when the loop waited again) queues behind them all. Taking every ready
     * socket at once (Netty's default, 4,096 and growing) thus made such a socket wait two rounds of the loop instead
     * of one. In a packet capture at saturation 9.4% of requests saw another connection served twice while they
     * waited; with nginx, whose edge-triggered epoll serves in arrival order, none did. Batches smaller than the
     * number of busy connections keep the order close to arrival order, for one more epoll_wait per batch. Proxied
     * requests, which wait on a client socket and then an upstream socket, were still served out of arrival order in
     * later captures. See bench/README.md ("Fair turns").
     */
    static final int EPOLL_MAX_EVENTS = 16;

    /**
     * Netty's switch for multishot poll requests in its io_uring transport. With them (Netty 4.2.18's default), a
     * connection whose client closed right after the TLS handshake was never read again nor closed: four
     * {@code openssl s_time -new} clients left 928 of 2,946 connections open, until the idle timeout. With single-shot
     * polls, re-armed each time, none was left (in {@code TransportMatrixTest}, and 0 of 21,000 on the benchmark host)
     * and io_uring kept its lead over epoll. Single-shot polls need {@link NoReadAfterClose}: a poll armed while a
     * close waits would hold the socket open. The operator's own {@code -D} setting wins.
     */
    static final String MULTISHOT_POLL_PROPERTY = "io.netty.iouring.pollAddMultishotEnabled";

    static {
        // Before anything touches io.netty.channel.uring.IoUring, whose class initialiser reads the property once:
        // every use of io_uring in the process goes through this class first.
        if (System.getProperty(MULTISHOT_POLL_PROPERTY) == null) {
            System.setProperty(MULTISHOT_POLL_PROPERTY, "false");
        }
    }

    /**
     * The preferred transport: io_uring where the kernel allows it, else epoll (whose absence the caller reports
     * before falling back to NIO). The benchmark host measured io_uring at a quarter to a third less user CPU per
     * request than epoll, and less system CPU: reads and writes are queued and submitted together once per loop turn,
     * not one system call each. Busy polling has no io_uring hook, so a configured {@code busyPoll} keeps epoll. A
     * kernel or sandbox that forbids io_uring ({@code kernel.io_uring_disabled}, a container's seccomp profile) fails
     * its probe, and epoll is used.
     */
    public static Transport auto(Duration busyPoll) {
        if (busyPoll.isZero() && IoUring.isAvailable()) {
            return IO_URING;
        }
        return EPOLL;
    }

    /** Whether this transport's native library loaded; NIO is always available. */
    public boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** Why the native library did not load, for the log line that explains a fallback. */
    public Throwable unavailabilityCause() {
        return switch (this) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
        };
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return newGroup(threads, threadFactory, Duration.ZERO);
    }

    /**
     * Event loops that poll for up to {@code busyPoll} before they sleep when they run out of work (epoll and NIO;
     * io_uring has no such hook and always sleeps at once).
     */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory, Duration busyPoll) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory(busyPoll.toNanos()));
    }

    private IoHandlerFactory ioHandlerFactory(long busyPollNanos) {
        SelectStrategyFactory strategy = busyPollNanos > 0
                ? () -> new SpinThenBlockStrategy(busyPollNanos)
                : DefaultSelectStrategyFactory.INSTANCE;
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory(EPOLL_MAX_EVENTS, strategy);
            case NIO -> NioIoHandler.newFactory(SelectorProvider.provider(), strategy);
        };
    }

    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return switch (this) {
            case IO_URING -> IoUringDatagramChannel.class;
            case EPOLL -> EpollDatagramChannel.class;
            case NIO -> NioDatagramChannel.class;
        };
    }
}

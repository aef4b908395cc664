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

    /** Logged when io_uring is chosen: what it costs and why {@code auto} does not take it. */
    public static final String LEAKY_TRANSPORT_WARNING = "transport io_uring: Netty 4.2.18's io_uring transport can "
            + "leave a connection open whose client closes right after the TLS handshake (its socket is never read "
            + "again nor closed), so many such clients can exhaust open files; `auto` uses epoll";

    /**
     * The preferred transport: epoll (whose absence the caller reports before falling back to NIO). io_uring took a
     * quarter to a third less user CPU per request on the benchmark host, but Netty 4.2.18's io_uring transport left
     * connections open whose client closed right after the TLS handshake: their sockets stayed allocated, never
     * read again nor closed (see {@code LEAKY_TRANSPORT_WARNING}). It stays available as an explicit choice.
     */
    public static Transport auto() {
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

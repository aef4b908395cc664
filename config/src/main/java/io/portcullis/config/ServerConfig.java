package io.portcullis.config;

import java.time.Duration;

/**
 * Process-level server settings.
 *
 * @param transport the socket implementation: {@link Transport#AUTO} (default: io_uring where the kernel allows it
 *                  and no busy polling is configured, else epoll, else NIO with a warning), or one of them explicitly
 *                  ({@code io_uring} needs Linux 5.14+ and a kernel that allows it; a choice that is unavailable falls
 *                  back to NIO with a warning)
 * @param workers   event-loop threads; 0 (default) means one per available core
 * @param busyPoll  how long an event loop that ran out of work keeps polling its sockets before it sleeps
 *                  (epoll and NIO); zero turns polling off
 */
public record ServerConfig(Transport transport, int workers, Duration busyPoll) {
    public enum Transport { AUTO, EPOLL, IO_URING, NIO }

    public static ServerConfig defaults() {
        return new ServerConfig(Transport.AUTO, 0, ConfigDefaults.BUSY_POLL);
    }
}

package io.portcullis.config;

/**
 * Process-level server settings.
 *
 * @param transport the socket implementation: {@link Transport#AUTO} (default: epoll when its native library loads,
 *                  else NIO, with a warning), or one of them explicitly ({@code io_uring} needs Linux 5.14+ and a
 *                  kernel that allows it; a choice that is unavailable falls back to NIO with a warning)
 * @param workers   event-loop threads; 0 (default) means one per available core
 */
public record ServerConfig(Transport transport, int workers) {
    public enum Transport { AUTO, EPOLL, IO_URING, NIO }

    public static ServerConfig defaults() {
        return new ServerConfig(Transport.AUTO, 0);
    }
}

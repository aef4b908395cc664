package io.portcullis.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.ssl.OpenSsl;
import io.portcullis.server.transport.Transport;
import java.net.InetAddress;

/**
 * What the process does before parsing its command line, so that the new user's first HTTPS response comes quickly
 * (bench workload {@code startup}). Loading BoringSSL, the io_uring and epoll libraries and quiche and initialising
 * them takes about half a second of one core; on a background thread it overlaps with config loading and the local CA
 * instead of preceding the TLS contexts. Netty's JFR allocation events are off unless asked for: registering them
 * costs another tenth of a second at the first buffer, and each allocation then checks them.
 */
final class StartupTuning {
    private StartupTuning() {
    }

    static void apply() {
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // InetAddress is initialised here, before a second thread exists. Its initialiser takes the JDK's
        // native-library lock (to load libnet), and the io_uring library's JNI_OnLoad, run under that lock, needs
        // InetAddress: one thread loading that library while another initialised InetAddress deadlocked the start.
        InetAddress.getLoopbackAddress();
        Thread loader = new Thread(StartupTuning::loadNativeLibraries, "portcullis-native-init");
        loader.setDaemon(true);
        loader.start();
    }

    private static void loadNativeLibraries() {
        // One thread, one library after the other: the class initialisers share Netty's platform classes. Both native
        // transports are loaded here, so that the main thread only ever waits for an initialiser to finish, whichever
        // the config names, and never loads one beside this thread.
        try {
            OpenSsl.isAvailable();
            // Through Transport, whose initialiser sets Netty's io_uring properties before IoUring reads them.
            Transport.IO_URING.isAvailable();
            Epoll.isAvailable();
            Quic.isAvailable();
        } catch (Throwable ignored) {
            // Whatever failed here fails again, and is reported, where the server needs the library.
        }
    }
}

package io.portcullis.cli;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.ssl.OpenSsl;

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
        Thread loader = new Thread(StartupTuning::loadNativeLibraries, "portcullis-native-init");
        loader.setDaemon(true);
        loader.start();
    }

    private static void loadNativeLibraries() {
        // One thread, one library after the other: the class initialisers share Netty's platform classes. Every native
        // transport the server may choose is loaded here, so that the main thread only ever waits for an initialiser
        // to finish: a library loaded on main while this thread initialises java.net.InetAddress deadlocked (the
        // io_uring library's JNI_OnLoad needs InetAddress, whose initialiser needs the JDK's native-library lock).
        try {
            OpenSsl.isAvailable();
            IoUring.isAvailable();
            Epoll.isAvailable();
            Quic.isAvailable();
        } catch (Throwable ignored) {
            // Whatever failed here fails again, and is reported, where the server needs the library.
        }
    }
}

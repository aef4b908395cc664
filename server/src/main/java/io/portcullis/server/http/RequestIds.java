package io.portcullis.server.http;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 16 lower-case hex digits, random, so ids from restarts and from several instances never collide. */
public final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {
    }

    public static String next() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(out);
    }
}

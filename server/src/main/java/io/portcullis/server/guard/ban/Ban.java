package io.portcullis.server.guard.ban;

import java.time.Instant;

/**
 * One banned address.
 *
 * @param address the address as text ({@link java.net.InetAddress#getHostAddress()})
 * @param until   when the ban ends
 * @param strikes how many times the address was banned (the next ban is twice as long)
 * @param reason  the rule or command that banned it
 */
public record Ban(String address, Instant until, int strikes, String reason) {
    public boolean activeAt(Instant now) {
        return until.isAfter(now);
    }
}

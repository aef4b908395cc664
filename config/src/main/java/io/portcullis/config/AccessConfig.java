package io.portcullis.config;

import java.util.List;
import java.util.Objects;

/**
 * Who may reach a site or a route, by client address. A request is denied when its address is in a {@code deny} block,
 * or when {@code allow} is not empty and the address is in none of its blocks. Named ranges from the top-level
 * {@code ranges} are already expanded here.
 *
 * @param allow  when non-empty, only these blocks may pass
 * @param deny   these blocks never pass (checked first)
 * @param denied what a denied client gets
 * @param denyJa4 TLS client fingerprints (JA4) that never pass, e.g. a scanner's or a bot library's
 */
public record AccessConfig(List<Cidr> allow, List<Cidr> deny, Denied denied, List<String> denyJa4) {
    /** No rules: everybody passes. */
    public static final AccessConfig NONE = new AccessConfig(List.of(), List.of(), Denied.FORBIDDEN);

    /** Without fingerprint rules. */
    public AccessConfig(List<Cidr> allow, List<Cidr> deny, Denied denied) {
        this(allow, deny, denied, List.of());
    }

    public enum Denied {
        /** A 403 error page with the request id. */
        FORBIDDEN,
        /** The connection is closed without an answer, so the client learns nothing about the site. */
        CLOSE
    }

    public AccessConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        denyJa4 = denyJa4 == null ? List.of() : List.copyOf(denyJa4);
        Objects.requireNonNull(denied, "denied");
    }

    public boolean isEmpty() {
        return allow.isEmpty() && deny.isEmpty() && denyJa4.isEmpty();
    }
}

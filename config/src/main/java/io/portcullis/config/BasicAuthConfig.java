package io.portcullis.config;

import java.util.Map;
import java.util.Objects;

/**
 * HTTP basic authentication on a route.
 *
 * @param realm shown by browsers in the login prompt (default {@code restricted})
 * @param users user name to bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}, as printed by
 *              {@code portcullis hash-password})
 */
public record BasicAuthConfig(String realm, Map<String, String> users) {
    public BasicAuthConfig {
        Objects.requireNonNull(realm, "realm");
        users = Map.copyOf(users);
    }
}

package io.portcullis.config;

/**
 * Redirects every request of the route.
 *
 * @param to     target; {@code {path}}, {@code {query}} ({@code ?...} or empty), {@code {host}} and {@code {uri}}
 *               (path + query) are replaced
 * @param status 301, 302, 303, 307 or 308 (default 308)
 */
public record RedirectConfig(String to, int status) implements HandlerConfig {
}

package io.portcullis.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Binds a site's {@code routes}: the match, then exactly one handler. Internal to the loader. */
final class RouteBinder {
    static final List<String> HANDLERS = List.of("proxy", "static", "redirect", "respond");
    static final List<String> KEYS = List.of("path", "methods", "max_body", "proxy", "static", "redirect", "respond",
            "access", "rate_limit", "basic_auth");
    static final List<String> STATIC_KEYS = List.of("root", "strip_prefix", "index", "follow_symlinks",
            "precompressed");
    static final List<String> REDIRECT_KEYS = List.of("to", "status");
    static final List<String> RESPOND_KEYS = List.of("status", "body", "content_type", "headers");
    static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
    static final List<String> PLACEHOLDERS = List.of("{path}", "{query}", "{host}", "{uri}");

    private final Binder binder;
    private final Problems problems;
    private final ProxyBinder proxy;

    private final AccessBinder access;

    RouteBinder(Binder binder, AccessBinder access) {
        this.binder = binder;
        this.access = access;
        this.problems = binder.problems();
        this.proxy = new ProxyBinder(binder);
    }

    List<RouteConfig> bindAll(YamlNode node, String path) {
        List<YamlNode> items = binder.list(node, path, "a list of routes");
        List<RouteConfig> out = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            RouteConfig r = bind(items.get(i), path + "[" + i + "]");
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private RouteConfig bind(YamlNode node, String path) {
        MapReader m = binder.map(node, path, KEYS);
        if (m == null) {
            return null;
        }
        String routePath = m.has("path") ? routePath(m.get("path"), m.child("path")) : null;
        Set<String> methods = m.has("methods") ? methods(m.get("methods"), m.child("methods")) : Set.of();
        Long maxBody = null;
        if (m.has("max_body")) {
            maxBody = binder.size(m.get("max_body"), m.child("max_body"), 0, Long.MAX_VALUE);
        }
        List<String> present = m.node().entries().keySet().stream().filter(HANDLERS::contains).toList();
        if (present.isEmpty()) {
            problems.add(m.node(), path + ": no handler (expected: exactly one of proxy, static, redirect, respond)");
            return null;
        }
        if (present.size() > 1) {
            problems.add(m.keyOf(present.get(1)), m.child(present.get(1)) + ": a second handler next to "
                    + present.get(0) + " (expected: exactly one of proxy, static, redirect, respond per route)");
            return null;
        }
        String kind = present.get(0);
        YamlNode h = m.node().entries().get(kind).value();
        if (h instanceof YamlNode.ScalarNode s && s.isNull()) {
            YamlNode.Key key = m.keyOf(kind); // an empty value has no useful location of its own
            h = new YamlNode.ScalarNode("", true, key.line(), key.column());
        }
        String hp = m.child(kind);
        HandlerConfig handler = switch (kind) {
            case "proxy" -> proxy.bind(h, hp);
            case "static" -> staticFiles(h, hp);
            case "redirect" -> redirect(h, hp);
            default -> respond(h, hp);
        };
        AccessConfig accessConfig = access.access(m);
        RateLimitConfig rateLimit = RateLimitBinder.bind(binder, m);
        BasicAuthConfig basicAuth = basicAuth(m);
        return handler == null ? null : new RouteConfig(routePath, methods, maxBody, handler, accessConfig,
                rateLimit, basicAuth);
    }

    static final java.util.regex.Pattern BCRYPT = java.util.regex.Pattern.compile(
            "\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    private BasicAuthConfig basicAuth(MapReader route) {
        MapReader m = route.map("basic_auth", List.of("realm", "users"));
        if (m == null) {
            return null;
        }
        String realm = m.string("realm", "restricted");
        if (!HttpSyntax.isHeaderValue(realm) || realm.contains("\"")) {
            problems.invalid(m.get("realm"), m.child("realm"), realm, "a single-line realm without quotes");
        }
        YamlNode usersNode = m.require("users", "a map of user name to bcrypt hash");
        java.util.Map<String, String> users = new java.util.LinkedHashMap<>();
        if (usersNode instanceof YamlNode.MapNode map) {
            for (YamlNode.MapNode.Entry e : map.entries().values()) {
                String user = e.key().name();
                String path = m.child("users") + "." + user;
                if (user.isEmpty() || user.contains(":")) {
                    problems.add(e.key(), path + ": not a user name (expected: a name without :)");
                    continue;
                }
                String hash = e.value() instanceof YamlNode.ScalarNode s && !s.isNull() ? s.text().strip() : null;
                if (hash == null || !BCRYPT.matcher(hash).matches()) {
                    problems.invalid(e.value(), path, hash == null ? "empty" : "not a bcrypt hash",
                            "a bcrypt hash like $2y$12$... from portcullis hash-password");
                    continue;
                }
                users.put(user, hash);
            }
            if (map.entries().isEmpty()) {
                problems.invalid(usersNode, m.child("users"), "an empty map", "at least one user");
            }
        } else if (usersNode != null) {
            problems.invalid(usersNode, m.child("users"), usersNode.describe(), "a map of user name to bcrypt hash");
        }
        return new BasicAuthConfig(realm, users);
    }

    private String routePath(YamlNode node, String path) {
        String expected = "a path starting with /, optionally with * wildcards, like /api/*";
        String t = binder.text(node, path, expected);
        if (t == null) {
            return null;
        }
        if (!t.startsWith("/")) {
            problems.invalid(node, path, t + " does not start with /", expected);
        } else if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '?' || c == '#')) {
            problems.invalid(node, path, t + " contains a space, control character, ? or #", expected
                    + "; query strings are not matched");
        } else if (("/" + t + "/").contains("/../") || ("/" + t + "/").contains("/./")) {
            problems.invalid(node, path, t + " has . or .. segments, which never match a normalised path", expected);
        } else {
            return t;
        }
        return null;
    }

    private Set<String> methods(YamlNode node, String path) {
        List<Binder.Item> items = binder.strings(node, path, "an HTTP method like GET");
        Set<String> out = new LinkedHashSet<>();
        for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
            String method = item.text().strip().toUpperCase(Locale.ROOT);
            if (!HttpSyntax.isToken(method)) {
                problems.invalid(item.node(), item.path(), item.text(), "an HTTP method like GET");
            } else if (!out.add(method)) {
                problems.invalid(item.node(), item.path(), method + " is listed twice", "each method once");
            }
        }
        if (items != null && items.isEmpty()) {
            problems.invalid(node, path, "an empty list", "at least one method, or no methods key for all methods");
        }
        return out;
    }

    private StaticConfig staticFiles(YamlNode node, String path) {
        if (node instanceof YamlNode.ScalarNode s && !s.isNull()) {
            Path root = binder.existingDirectory(node, path);
            return root == null ? null : new StaticConfig(root, null, ConfigDefaults.STATIC_INDEX,
                    ConfigDefaults.STATIC_FOLLOW_SYMLINKS, ConfigDefaults.STATIC_PRECOMPRESSED);
        }
        MapReader m = mapOrEmpty(node, path, STATIC_KEYS, "a map with root, or a directory path");
        if (m == null) {
            return null;
        }
        YamlNode rootNode = m.require("root", "a directory to serve");
        Path root = rootNode == null ? null : binder.existingDirectory(rootNode, m.child("root"));
        String strip = null;
        if (m.has("strip_prefix")) {
            String t = binder.text(m.get("strip_prefix"), m.child("strip_prefix"), "a path prefix like /assets");
            if (t != null && (!t.startsWith("/") || t.contains("*") || t.chars().anyMatch(c -> c <= ' '))) {
                problems.invalid(m.get("strip_prefix"), m.child("strip_prefix"), t,
                        "a path prefix starting with /, without * or spaces, like /assets");
            } else if (t != null) {
                strip = t.replaceAll("/+$", "");
                strip = strip.isEmpty() ? null : strip;
            }
        }
        List<String> index = ConfigDefaults.STATIC_INDEX;
        if (m.has("index")) {
            index = new ArrayList<>();
            List<Binder.Item> items = binder.strings(m.get("index"), m.child("index"), "a file name");
            for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
                String t = item.text();
                if (t.contains("/") || t.contains("\\") || t.equals(".") || t.equals("..") || t.isBlank()) {
                    problems.invalid(item.node(), item.path(), t, "a file name without /, like index.html");
                } else {
                    index.add(t);
                }
            }
        }
        boolean follow = m.bool("follow_symlinks", ConfigDefaults.STATIC_FOLLOW_SYMLINKS);
        boolean pre = m.bool("precompressed", ConfigDefaults.STATIC_PRECOMPRESSED);
        return root == null ? null : new StaticConfig(root, strip, index, follow, pre);
    }

    private RedirectConfig redirect(YamlNode node, String path) {
        if (node instanceof YamlNode.ScalarNode s && !s.isNull()) {
            String to = redirectTarget(node, path);
            return to == null ? null : new RedirectConfig(to, ConfigDefaults.REDIRECT_STATUS);
        }
        MapReader m = mapOrEmpty(node, path, REDIRECT_KEYS, "a map with to and status, or a target URL");
        if (m == null) {
            return null;
        }
        YamlNode toNode = m.require("to", "a target URL like https://example.org{uri}");
        String to = toNode == null ? null : redirectTarget(toNode, m.child("to"));
        int status = ConfigDefaults.REDIRECT_STATUS;
        if (m.has("status")) {
            Long v = binder.integer(m.get("status"), m.child("status"), 100, 599);
            if (v != null && !REDIRECT_STATUSES.contains(v.intValue())) {
                problems.invalid(m.get("status"), m.child("status"), v.toString(), "301, 302, 303, 307 or 308");
            } else if (v != null) {
                status = v.intValue();
            }
        }
        return to == null ? null : new RedirectConfig(to, status);
    }

    private String redirectTarget(YamlNode node, String path) {
        String expected = "an http(s) URL or a path starting with /; placeholders " + String.join(", ", PLACEHOLDERS);
        String t = binder.text(node, path, expected);
        if (t == null) {
            return null;
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://") || t.startsWith("/"))) {
            problems.invalid(node, path, t, expected);
            return null;
        }
        if (t.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            problems.invalid(node, path, t + " contains a space or control character", expected);
            return null;
        }
        String rest = t;
        for (String p : PLACEHOLDERS) {
            rest = rest.replace(p, "");
        }
        int brace = Math.max(rest.indexOf('{'), rest.indexOf('}'));
        if (brace >= 0) {
            int open = rest.indexOf('{');
            int close = open < 0 ? -1 : rest.indexOf('}', open);
            String unknown = open >= 0 && close > open ? rest.substring(open, close + 1) : "a lone brace";
            problems.invalid(node, path, t + " has " + unknown, "placeholders " + String.join(", ", PLACEHOLDERS));
            return null;
        }
        return t;
    }

    private RespondConfig respond(YamlNode node, String path) {
        if (node instanceof YamlNode.ScalarNode s) {
            return new RespondConfig(ConfigDefaults.RESPOND_STATUS, s.isNull() ? "" : s.text(),
                    ConfigDefaults.RESPOND_CONTENT_TYPE, Map.of());
        }
        MapReader m = binder.map(node, path, RESPOND_KEYS);
        if (m == null) {
            return null;
        }
        int status = m.integer("status", ConfigDefaults.RESPOND_STATUS, 100, 599);
        String body = m.string("body", ConfigDefaults.RESPOND_BODY);
        String type = m.string("content_type", ConfigDefaults.RESPOND_CONTENT_TYPE);
        if (!HttpSyntax.isHeaderValue(type)) {
            problems.invalid(m.get("content_type"), m.child("content_type"), "a value with a line break",
                    "a media type like text/html; charset=utf-8");
        }
        Map<String, String> headers = Map.of();
        if (m.has("headers")) {
            headers = SiteBinder.headerMap(binder, m.get("headers"), m.child("headers"));
            for (String name : headers.keySet()) {
                if (name.equalsIgnoreCase("content-type")) {
                    problems.add(((YamlNode.MapNode) m.get("headers")).entries().get(name).key(),
                            m.child("headers") + "." + name + ": set by content_type (expected: content_type instead)");
                }
            }
        }
        boolean noBody = status < 200 || status == 204 || status == 304;
        if (noBody && !body.isEmpty()) {
            problems.invalid(m.get("body"), m.child("body"), "a body with status " + status,
                    "no body with status 1xx, 204 or 304");
        }
        return new RespondConfig(status, body, type, headers);
    }

    /** A handler map; an empty value is reported as empty. */
    private MapReader mapOrEmpty(YamlNode node, String path, List<String> keys, String expected) {
        if (node instanceof YamlNode.ScalarNode s && s.isNull()) {
            problems.invalid(node, path, "empty", expected);
            return null;
        }
        return binder.map(node, path, keys);
    }

    /** An upstream URI with scheme, host and port, nothing else; {@code null} (reported) if it is not one. */
    static URI upstream(Binder binder, Binder.Item item) {
        String expected = "http://host:port or https://host:port, without path or query";
        URI u;
        try {
            u = new URI(item.text().strip());
        } catch (URISyntaxException e) {
            binder.problems().invalid(item.node(), item.path(), item.text() + " is not a URI", expected);
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            binder.problems().invalid(item.node(), item.path(), item.text() + " has no http or https scheme", expected);
        } else if (u.getHost() == null || u.getRawUserInfo() != null) {
            binder.problems().invalid(item.node(), item.path(), item.text() + " has no valid host", expected);
        } else if ((u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            binder.problems().invalid(item.node(), item.path(), item.text() + " has a path, query or fragment",
                    expected);
        } else {
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            try {
                return new URI(scheme, null, u.getHost().toLowerCase(Locale.ROOT), port, null, null, null);
            } catch (URISyntaxException e) {
                binder.problems().invalid(item.node(), item.path(), item.text() + " is not a URI", expected);
            }
        }
        return null;
    }
}

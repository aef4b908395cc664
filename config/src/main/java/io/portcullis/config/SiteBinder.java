package io.portcullis.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Binds {@code sites}: hosts, default, tls, hsts and headers; routes via {@link RouteBinder}. Internal. */
final class SiteBinder {
    static final List<String> KEYS = List.of("hosts", "default", "tls", "hsts", "headers", "routes", "access",
            "alt_svc");
    static final List<String> TLS_KEYS = List.of("certificates", "client_auth");
    static final List<String> HSTS_KEYS = List.of("mode", "max_age", "include_subdomains", "preload");
    static final Map<String, HstsConfig.Mode> HSTS_MODES = Binder.enumOptions(HstsConfig.Mode.class);
    /** Ten years: longer is surely a mistake (seconds vs. milliseconds). */
    static final long HSTS_MAX_MAX_AGE = 315_360_000L;

    private final Binder binder;
    private final Problems problems;
    private final RouteBinder routes;
    /** Host to the path of the site that has it. */
    private final Map<String, String> hostOwners = new HashMap<>();
    private String defaultSitePath;
    private final AccessBinder access;

    SiteBinder(Binder binder, AccessBinder access) {
        this.binder = binder;
        this.problems = binder.problems();
        this.access = access;
        this.routes = new RouteBinder(binder, access);
    }

    /** @param node the {@code sites} value; {@code null} when absent (reported against the root map) */
    List<SiteConfig> bindAll(YamlNode node) {
        List<YamlNode> items = binder.list(node, "sites", "a list of sites");
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            problems.invalid(node, "sites", "an empty list", "at least one site");
        }
        List<SiteConfig> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SiteConfig site = bind(items.get(i), "sites[" + i + "]");
            if (site != null) {
                out.add(site);
            }
        }
        return out;
    }

    private SiteConfig bind(YamlNode node, String path) {
        MapReader m = binder.map(node, path, KEYS);
        if (m == null) {
            return null;
        }
        List<String> hosts = hosts(m);
        boolean isDefault = m.bool("default", false);
        if (isDefault) {
            if (defaultSitePath != null) {
                problems.invalid(m.get("default"), m.child("default"), "a second default site",
                        "at most one site with default: true; " + defaultSitePath + " is already the default");
            } else {
                defaultSitePath = path;
            }
        }
        SiteTlsConfig tls = tls(m, hosts);
        HstsConfig hsts = hsts(m);
        HeadersConfig headers = headers(m);
        List<RouteConfig> routeList = m.has("routes") ? routes.bindAll(m.get("routes"), m.child("routes")) : List.of();
        boolean altSvc = m.bool("alt_svc", true);
        return new SiteConfig(hosts, isDefault, tls, hsts, headers, routeList, access.access(m), altSvc);
    }

    private List<String> hosts(MapReader m) {
        YamlNode node = m.require("hosts", "a non-empty list of host names");
        if (node == null) {
            return List.of();
        }
        List<Binder.Item> items = binder.strings(node, m.child("hosts"), HttpSyntax.HOST_EXPECTED);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            problems.invalid(node, m.child("hosts"), "an empty list", "at least one host name");
        }
        List<String> out = new ArrayList<>();
        for (Binder.Item item : items) {
            String host;
            try {
                host = HttpSyntax.host(item.text(), true);
            } catch (IllegalArgumentException e) {
                problems.invalid(item.node(), item.path(), item.text() + ": " + e.getMessage(),
                        HttpSyntax.HOST_EXPECTED);
                continue;
            }
            String owner = hostOwners.putIfAbsent(host, m.path());
            if (owner != null) {
                problems.invalid(item.node(), item.path(), host + " is already a host of " + owner,
                        "each host in one site only");
                continue;
            }
            out.add(host);
        }
        return out;
    }

    private SiteTlsConfig tls(MapReader m, List<String> hosts) {
        YamlNode node = m.get("tls");
        String path = m.child("tls");
        if (node == null) {
            return automaticSource(m, hosts);
        }
        if (node instanceof YamlNode.ScalarNode s) {
            return scalarSource(s, path, hosts,
                    "internal, acme, or a map with certificates: [{cert: file, key: file}, ...]");
        }
        MapReader tls = binder.map(node, path, TLS_KEYS);
        if (tls == null) {
            return SiteTlsConfig.internal();
        }
        ClientAuthConfig clientAuth = tls.has("client_auth") ? ClientAuthBinder.bind(binder, tls) : null;
        YamlNode certsNode = tls.has("client_auth") ? tls.get("certificates")
                : tls.require("certificates", "a list of {cert: file, key: file}");
        if (certsNode == null) {
            // tls: {client_auth: ...} alone: the certificate comes from where it would without a tls key.
            return new SiteTlsConfig(automaticSource(m, hosts).source(), List.of(), clientAuth);
        }
        if (certsNode instanceof YamlNode.ScalarNode s) {
            return new SiteTlsConfig(scalarSource(s, tls.child("certificates"), hosts,
                    "internal, acme or a list of {cert: file, key: file}").source(), List.of(), clientAuth);
        }
        List<YamlNode> items = binder.list(certsNode, tls.child("certificates"), "a list of {cert: file, key: file}");
        List<CertificateFiles> certs = new ArrayList<>();
        if (items != null) {
            if (items.isEmpty()) {
                problems.invalid(certsNode, tls.child("certificates"), "an empty list",
                        "at least one {cert: file, key: file}");
            }
            for (int i = 0; i < items.size(); i++) {
                MapReader pair = binder.map(items.get(i), tls.child("certificates") + "[" + i + "]",
                        List.of("cert", "key"));
                if (pair == null) {
                    continue;
                }
                YamlNode certNode = pair.require("cert", "a PEM certificate chain file");
                YamlNode keyNode = pair.require("key", "a PEM private key file");
                Path cert = certNode == null ? null : binder.existingFile(certNode, pair.child("cert"));
                Path key = keyNode == null ? null : binder.existingFile(keyNode, pair.child("key"));
                if (cert != null && key != null) {
                    certs.add(new CertificateFiles(cert, key));
                }
            }
        }
        return new SiteTlsConfig(SiteTlsConfig.Source.FILES, certs, clientAuth);
    }

    /** {@code internal} or {@code acme} (the latter only for public names). */
    private SiteTlsConfig scalarSource(YamlNode.ScalarNode s, String path, List<String> hosts, String expected) {
        if (s.text().strip().equalsIgnoreCase("acme")) {
            for (String host : hosts) {
                String why = PublicNames.whyNotPublic(host);
                if (why != null) {
                    problems.invalid(s, path, "acme, but " + why + ": no public CA can certify it",
                            "internal for such names, or only public DNS names in hosts");
                }
            }
            return SiteTlsConfig.acme();
        }
        if (!s.text().strip().equalsIgnoreCase("internal")) {
            problems.invalid(s, path, s.text(), expected);
        }
        return SiteTlsConfig.internal();
    }

    /**
     * Without {@code tls:}, public names get ACME (a browser-trusted certificate, so nobody learns to click through a
     * warning) and names no public CA certifies get the local CA. A site mixing both would either fail its ACME order
     * or serve its public names an untrusted certificate, so it is an error that names both kinds.
     */
    private SiteTlsConfig automaticSource(MapReader m, List<String> hosts) {
        List<String> publicHosts = hosts.stream().filter(PublicNames::isPublic).toList();
        if (publicHosts.isEmpty()) {
            return SiteTlsConfig.internal();
        }
        String why = PublicNames.whyLocalCa(hosts);
        if (why != null) {
            problems.invalid(m.get("hosts"), m.child("hosts"), "public " + (publicHosts.size() == 1 ? "name " : "names ")
                            + String.join(", ", publicHosts) + " (ACME by default) mixed with " + why
                            + " (no public CA can certify it)",
                    "only public names or only internal ones in a site without tls: split it into two sites, or "
                            + "set tls: internal or certificate files");
            return SiteTlsConfig.internal();
        }
        return SiteTlsConfig.acme();
    }

    private HstsConfig hsts(MapReader m) {
        YamlNode node = m.get("hsts");
        String path = m.child("hsts");
        HstsConfig def = ConfigDefaults.hsts();
        if (node == null) {
            return def;
        }
        if (node instanceof YamlNode.ScalarNode s) {
            HstsConfig.Mode mode = switch (s.text().strip().toLowerCase(Locale.ROOT)) {
                case "on", "true", "yes" -> HstsConfig.Mode.ON;
                case "off", "false", "no" -> HstsConfig.Mode.OFF;
                case "auto" -> HstsConfig.Mode.AUTO;
                default -> null;
            };
            if (mode == null) {
                problems.invalid(node, path, s.text(), "auto, on, off or a map with keys " + String.join(", ", HSTS_KEYS));
                return def;
            }
            return new HstsConfig(mode, def.maxAgeSeconds(), def.includeSubdomains(), def.preload());
        }
        MapReader h = binder.map(node, path, HSTS_KEYS);
        if (h == null) {
            return def;
        }
        HstsConfig.Mode mode = h.choice("mode", ConfigDefaults.HSTS_MODE, HSTS_MODES);
        long maxAge = maxAge(h);
        boolean sub = h.bool("include_subdomains", ConfigDefaults.HSTS_INCLUDE_SUBDOMAINS);
        boolean preload = h.bool("preload", ConfigDefaults.HSTS_PRELOAD);
        if (preload && (!sub || maxAge < ConfigDefaults.HSTS_PRELOAD_MIN_MAX_AGE)) {
            problems.invalid(h.get("preload"), h.child("preload"),
                    "true with " + (!sub ? "include_subdomains: false" : "max_age: " + maxAge),
                    "preload only with include_subdomains: true and max_age >= "
                            + ConfigDefaults.HSTS_PRELOAD_MIN_MAX_AGE + " (one year)");
        }
        return new HstsConfig(mode, maxAge, sub, preload);
    }

    /** Seconds, as an integer or a duration like {@code 730d}. */
    private long maxAge(MapReader h) {
        YamlNode node = h.get("max_age");
        if (node == null) {
            return ConfigDefaults.HSTS_MAX_AGE;
        }
        if (node instanceof YamlNode.ScalarNode s && !s.text().isEmpty()
                && !s.text().strip().chars().allMatch(c -> Character.isDigit(c) || c == '_')) {
            var d = binder.duration(node, h.child("max_age"), java.time.Duration.ZERO,
                    java.time.Duration.ofSeconds(HSTS_MAX_MAX_AGE));
            return d == null ? ConfigDefaults.HSTS_MAX_AGE : d.toSeconds();
        }
        Long v = binder.integer(node, h.child("max_age"), 0, HSTS_MAX_MAX_AGE);
        return v == null ? ConfigDefaults.HSTS_MAX_AGE : v;
    }

    private HeadersConfig headers(MapReader m) {
        MapReader h = m.map("headers", List.of("add", "remove"));
        if (h == null) {
            return HeadersConfig.none();
        }
        Map<String, String> add = h.has("add") ? headerMap(binder, h.get("add"), h.child("add")) : Map.of();
        List<String> remove = new ArrayList<>();
        if (h.has("remove")) {
            List<Binder.Item> items = binder.strings(h.get("remove"), h.child("remove"), "a header name");
            for (Binder.Item item : items == null ? List.<Binder.Item>of() : items) {
                String lower = item.text().toLowerCase(Locale.ROOT);
                if (!HttpSyntax.isToken(item.text())) {
                    problems.invalid(item.node(), item.path(), item.text(), "a header name (letters, digits, -)");
                } else if (remove.stream().anyMatch(r -> r.equalsIgnoreCase(lower))) {
                    problems.invalid(item.node(), item.path(), item.text() + " is listed twice", "each name once");
                } else if (add.keySet().stream().anyMatch(a -> a.equalsIgnoreCase(lower))) {
                    problems.invalid(item.node(), item.path(), item.text() + " is also in add",
                            "a name in add or in remove, not both");
                } else {
                    remove.add(item.text());
                }
            }
        }
        return new HeadersConfig(add, remove);
    }

    /** A map of header name to value, as in {@code headers.add} and {@code respond.headers}. */
    static Map<String, String> headerMap(Binder binder, YamlNode node, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!(node instanceof YamlNode.MapNode map)) {
            binder.problems().invalid(node, path, node.describe(), "a map of header name to value");
            return out;
        }
        for (YamlNode.MapNode.Entry e : map.entries().values()) {
            String name = e.key().name();
            String itemPath = path + "." + name;
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HttpSyntax.isToken(name)) {
                binder.problems().add(e.key(), itemPath + ": not a header name (expected: letters, digits and -)");
                continue;
            }
            if (HttpSyntax.MANAGED_HEADERS.contains(lower)) {
                binder.problems().add(e.key(), itemPath + ": set by the server itself (expected: any header except "
                        + String.join(", ", HttpSyntax.MANAGED_HEADERS.stream().sorted().toList()) + ")");
                continue;
            }
            if (out.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
                binder.problems().add(e.key(), itemPath + ": listed twice (expected: each header name once;"
                        + " names are case-insensitive)");
                continue;
            }
            YamlNode v = e.value();
            String value = v instanceof YamlNode.ScalarNode s && s.isNull() ? "" : binder.text(v, itemPath,
                    "a header value");
            if (value == null) {
                continue;
            }
            if (!HttpSyntax.isHeaderValue(value)) {
                binder.problems().invalid(v, itemPath, "a value with a line break or control character",
                        "a single-line header value");
                continue;
            }
            out.put(name, value);
        }
        return out;
    }
}

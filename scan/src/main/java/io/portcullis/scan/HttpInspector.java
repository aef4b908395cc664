package io.portcullis.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.portcullis.scan.ScanReport.HttpFinding;

/**
 * The HTTP side of the audit: HSTS and the securityheaders.com set from the HTTPS front page, the Server banner,
 * HTTP/3 advertised through Alt-Svc, h2 by ALPN, and whether plain HTTP redirects to https.
 */
final class HttpInspector {
    /** The headers securityheaders.com grades, lower-case. */
    static final List<String> SECURITY_HEADERS = List.of("strict-transport-security", "content-security-policy",
            "x-frame-options", "x-content-type-options", "referrer-policy", "permissions-policy");
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*\"?(\\d+)\"?", Pattern.CASE_INSENSITIVE);

    private final JsseClient jsse;
    private final InetSocketAddress plainHttp;
    private final String host;
    private final ScanOptions options;

    HttpInspector(JsseClient jsse, InetSocketAddress plainHttp, String host, ScanOptions options) {
        this.jsse = jsse;
        this.plainHttp = plainHttp;
        this.host = host;
        this.options = options;
    }

    HttpFinding inspect(String alpn) {
        String port80 = plainHttp == null ? "not_tested" : checkRedirect();
        JsseClient.Response response;
        try {
            response = jsse.get(host);
        } catch (IOException | RuntimeException e) {
            return new HttpFinding(null, null, null, null, false, false, Map.of(), List.of(), null, false, alpn,
                    port80, "HTTPS request failed: " + e.getMessage());
        }
        return fromHead(response.head(), alpn, port80);
    }

    static HttpFinding fromHead(String head, String alpn, String port80) {
        String[] lines = head.split("\r?\n");
        Integer status = null;
        if (lines.length > 0 && lines[0].startsWith("HTTP/")) {
            String[] parts = lines[0].split(" ");
            status = parts.length > 1 && parts[1].matches("\\d{3}") ? Integer.valueOf(parts[1]) : null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        Map<String, String> security = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String h : SECURITY_HEADERS) {
            if (headers.containsKey(h)) {
                security.put(h, headers.get(h));
            } else {
                missing.add(h);
            }
        }
        String hsts = headers.get("strict-transport-security");
        Long maxAge = null;
        if (hsts != null) {
            Matcher m = MAX_AGE.matcher(hsts);
            maxAge = m.find() ? Long.valueOf(m.group(1)) : null;
        }
        String lower = hsts == null ? "" : hsts.toLowerCase(Locale.ROOT);
        String altSvc = headers.get("alt-svc");
        boolean h3 = altSvc != null && altSvc.matches("(?s).*\\bh3(-\\d+)?=.*");
        return new HttpFinding(status, headers.get("server"), hsts, maxAge, lower.contains("includesubdomains"),
                lower.contains("preload"), security, missing, altSvc, h3, alpn, port80, null);
    }

    /** "redirects", "no_redirect (status N)", "closed" or an error; the https target must be the same host. */
    private String checkRedirect() {
        try (Socket s = new Socket()) {
            s.connect(plainHttp, (int) options.connectTimeout().toMillis());
            s.setSoTimeout((int) options.readTimeout().toMillis());
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = JsseClient.readHead(s.getInputStream());
            HttpFinding f = fromHead(head, null, null);
            String location = head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("location:"))
                    .map(l -> l.substring(9).trim()).findFirst().orElse("");
            boolean redirect = f.status() != null && List.of(301, 302, 307, 308).contains(f.status());
            if (redirect && location.toLowerCase(Locale.ROOT).startsWith("https://" + host.toLowerCase(Locale.ROOT))) {
                return "redirects";
            }
            return "no_redirect (status " + f.status() + (location.isEmpty() ? "" : ", location " + location) + ")";
        } catch (java.net.ConnectException e) {
            return "closed";
        } catch (IOException e) {
            return "error: " + e.getMessage();
        }
    }
}

package io.portcullis.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Binds a site's {@code tls.client_auth}. Internal. */
final class ClientAuthBinder {
    static final List<String> KEYS = List.of("ca", "mode", "subject_header");
    static final Map<String, ClientAuthConfig.Mode> MODES = Binder.enumOptions(ClientAuthConfig.Mode.class);
    /**
     * Headers the subject may not be written into: the managed ones, and those other parts of the server read to
     * decide who the client is or where the request goes.
     */
    private static final Set<String> RESERVED = Set.of("authorization", "cookie", "forwarded", "x-forwarded-for",
            "x-forwarded-host", "x-forwarded-proto");

    private ClientAuthBinder() {
    }

    /** @return {@code null} when the map is unusable (reported) */
    static ClientAuthConfig bind(Binder binder, MapReader tls) {
        MapReader m = tls.map("client_auth", KEYS);
        if (m == null) {
            return null;
        }
        YamlNode caNode = m.require("ca", "a PEM file of the CA certificates that issue client certificates");
        Path ca = caNode == null ? null : binder.existingFile(caNode, m.child("ca"));
        if (ca != null && !holdsCertificates(binder, caNode, m.child("ca"), ca)) {
            ca = null;
        }
        ClientAuthConfig.Mode mode = m.choice("mode", ClientAuthConfig.Mode.REQUIRED, MODES);
        String header = m.string("subject_header", ClientAuthConfig.DEFAULT_SUBJECT_HEADER);
        String lower = header.toLowerCase(Locale.ROOT);
        if (!HttpSyntax.isToken(header)) {
            binder.problems().invalid(m.get("subject_header"), m.child("subject_header"), header,
                    "a header name (letters, digits, -)");
        } else if (HttpSyntax.MANAGED_HEADERS.contains(lower) || RESERVED.contains(lower) || lower.startsWith(":")) {
            binder.problems().invalid(m.get("subject_header"), m.child("subject_header"),
                    header + " has another meaning", "a header of its own, such as "
                            + ClientAuthConfig.DEFAULT_SUBJECT_HEADER);
        }
        return ca == null ? null : new ClientAuthConfig(ca, mode, header);
    }

    /** True when the file parses as one or more X.509 certificates (PEM or DER); otherwise reports why. */
    private static boolean holdsCertificates(Binder binder, YamlNode node, String path, Path file) {
        String expected = "a PEM bundle of CA certificates";
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                binder.problems().invalid(node, path, file + " holds no certificate", expected);
                return false;
            }
            return true;
        } catch (CertificateException e) {
            binder.problems().invalid(node, path, file + " is not a certificate file (" + e.getMessage() + ")",
                    expected);
        } catch (IOException e) {
            binder.problems().invalid(node, path, file + " cannot be read (" + e.getMessage() + ")", expected);
        }
        return false;
    }
}

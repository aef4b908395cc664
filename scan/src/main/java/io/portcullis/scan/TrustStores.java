package io.portcullis.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The trust verdicts: the JDK's cacerts (what Java clients trust), the operating system bundle (what curl and most
 * other clients trust), and optional extra anchors (a private CA the user names). Loaded once per scanner.
 */
final class TrustStores {
    /** Debian/Ubuntu and RHEL/Fedora locations of the system CA bundle. */
    private static final List<Path> SYSTEM_BUNDLES = List.of(Path.of("/etc/ssl/certs/ca-certificates.crt"),
            Path.of("/etc/pki/tls/certs/ca-bundle.crt"), Path.of("/etc/ssl/cert.pem"));

    private final X509TrustManager jdk;
    private final X509TrustManager system;
    private final X509TrustManager extra;
    private final List<X509Certificate> anchors;

    TrustStores(List<X509Certificate> extraAnchors) {
        this.jdk = manager(null);
        KeyStore systemStore = systemStore();
        this.system = systemStore == null ? null : manager(systemStore);
        this.extra = extraAnchors.isEmpty() ? null : manager(store(extraAnchors));
        List<X509Certificate> all = new java.util.ArrayList<>();
        for (X509TrustManager tm : new X509TrustManager[] {jdk, system, extra}) {
            if (tm != null) {
                all.addAll(List.of(tm.getAcceptedIssuers()));
            }
        }
        this.anchors = List.copyOf(all);
    }

    /** Every anchor of every store, for judging chain completeness without a network fetch. */
    List<X509Certificate> anchors() {
        return anchors;
    }

    /** A verdict: trusted by the JDK, by the system, by anything; and the first reason it failed. */
    record Verdict(boolean jdk, boolean system, boolean any, String error) {
    }

    Verdict check(List<X509Certificate> chain) {
        X509Certificate[] arr = chain.toArray(new X509Certificate[0]);
        String jdkError = verify(jdk, arr);
        String systemError = verify(system, arr);
        String extraError = extra == null ? "no extra anchors" : verify(extra, arr);
        boolean any = jdkError == null || systemError == null || extraError == null;
        return new Verdict(jdkError == null, systemError == null, any, any ? null : jdkError);
    }

    private static String verify(X509TrustManager tm, X509Certificate[] chain) {
        if (tm == null) {
            return "trust store unavailable";
        }
        try {
            // "UNKNOWN" is what SunJSSE itself passes for TLS 1.3: no key-exchange specific key-usage check.
            tm.checkServerTrusted(chain, "UNKNOWN");
            return null;
        } catch (CertificateException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage() == null ? e.getMessage() : root.getMessage();
        }
    }

    private static KeyStore systemStore() {
        for (Path p : SYSTEM_BUNDLES) {
            if (Files.isReadable(p)) {
                try (InputStream in = Files.newInputStream(p)) {
                    List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in)
                            .stream().map(c -> (X509Certificate) c).toList();
                    return store(certs);
                } catch (IOException | GeneralSecurityException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static KeyStore store(List<X509Certificate> certs) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager manager(KeyStore ks) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            return null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}

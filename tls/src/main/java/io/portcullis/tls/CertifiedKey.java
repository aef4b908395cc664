package io.portcullis.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the certificate chain it proves possession of.
 *
 * @param privateKey the leaf's private key
 * @param chain      leaf first, then intermediates (never the root); not empty
 */
public record CertifiedKey(PrivateKey privateKey, List<X509Certificate> chain) {
    public CertifiedKey {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The JCA key algorithm: {@code EC}, {@code RSA}, {@code Ed25519}... */
    public String keyAlgorithm() {
        return leaf().getPublicKey().getAlgorithm();
    }

    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }
}

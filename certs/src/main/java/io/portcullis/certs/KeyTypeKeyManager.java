package io.portcullis.certs;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

import io.portcullis.tls.CertifiedKey;

/**
 * Serves several certificates of different key types (typically ECDSA and RSA) from one JSSE context: JSSE asks
 * for an alias per key type the client can accept, in the client's preference order, and this answers with the
 * certificate of that type. Used for the JDK fallback; BoringSSL gets the same effect from credentials.
 */
final class KeyTypeKeyManager extends X509ExtendedKeyManager {
    /** alias = JCA key algorithm ({@code EC}, {@code RSA}, ...), one certificate per type, first wins. */
    private final Map<String, CertifiedKey> byAlias = new LinkedHashMap<>();

    KeyTypeKeyManager(List<CertifiedKey> keys) {
        for (CertifiedKey k : keys) {
            byAlias.putIfAbsent(k.keyAlgorithm(), k);
        }
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (keyType == null) {
            return null;
        }
        // JSSE says "EC" for ECDSA, "RSA" and "RSASSA-PSS" for RSA keys (an RSA key signs PSS too).
        String type = keyType.equals("RSASSA-PSS") ? "RSA" : keyType;
        return byAlias.containsKey(type) ? type : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey k = byAlias.get(alias);
        return k == null ? null : k.chainArray();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey k = byAlias.get(alias);
        return k == null ? null : k.privateKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null; // server only
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}

package io.portcullis.tls.wire;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a TLS 1.0-1.2 Certificate message (RFC 5246 section 7.4.2): the chain exactly as the server sends it, in
 * its order, so a scanner can judge order and completeness. (TLS 1.3 encrypts this message.)
 */
public final class CertificateMessageParser {
    private CertificateMessageParser() {
    }

    public static List<X509Certificate> parse(HandshakeMessage message) {
        if (message.type() != HandshakeMessage.CERTIFICATE) {
            throw new TlsDecodeException("expected Certificate (11), got handshake type " + message.type());
        }
        ByteReader r = new ByteReader(message.body());
        ByteReader list = r.slice(r.u24("certificate_list length"), "certificate_list");
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            while (list.remaining() > 0) {
                byte[] der = list.bytes(list.u24("certificate length"), "certificate");
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new TlsDecodeException("certificate " + (chain.size() + 1) + " in the chain is not valid X.509: "
                    + e.getMessage());
        }
        return List.copyOf(chain);
    }
}

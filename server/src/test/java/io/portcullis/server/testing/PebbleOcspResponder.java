package io.portcullis.server.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The OCSP responder Debian's Pebble 2.4 lacks: answers RFC 6960 POSTs on loopback with what Pebble itself says about
 * each serial ({@code /cert-status-by-serial/}: {@code Valid} is good, {@code Revoked} is revoked), signed with
 * Pebble's own issuing intermediate key (from its management API), so the server's checks of the signature and the
 * certificate id are the real ones. Responses are valid for {@code validity}, so a server refreshes them often.
 */
public final class PebbleOcspResponder implements AutoCloseable {
    private final Pebble pebble;
    private final HttpServer http;
    private final X509Certificate issuer;
    private final PrivateKey issuerKey;
    private final Duration validity;
    private final AtomicInteger revokedAnswers = new AtomicInteger();

    private PebbleOcspResponder(Pebble pebble, int port, Duration validity) throws Exception {
        this.pebble = pebble;
        this.validity = validity;
        this.issuer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pebble.issuingIntermediatePem().getBytes(StandardCharsets.US_ASCII)));
        this.issuerKey = privateKey(pebble.issuingIntermediateKeyPem());
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        http.createContext("/", this::answer);
        http.start();
    }

    /** Starts on 127.0.0.1:{@code port} (the port named in Pebble's {@code ocspResponderURL}), Pebble running. */
    public static PebbleOcspResponder start(Pebble pebble, int port, Duration validity) throws Exception {
        return new PebbleOcspResponder(pebble, port, validity);
    }

    /** How many "revoked" answers were sent. */
    public int revokedAnswers() {
        return revokedAnswers.get();
    }

    private void answer(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try {
                body = respond(new OCSPReq(ex.getRequestBody().readAllBytes())).getEncoded();
            } catch (Exception e) {
                body = new OCSPRespBuilder().build(OCSPRespBuilder.INTERNAL_ERROR, null).getEncoded();
            }
            ex.getResponseHeaders().set("Content-Type", "application/ocsp-response");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private OCSPResp respond(OCSPReq request) throws Exception {
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        JcaBasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(issuer.getPublicKey(),
                digests.get(CertificateID.HASH_SHA1));
        Date now = new Date();
        Date next = new Date(now.getTime() + validity.toMillis());
        for (Req r : request.getRequestList()) {
            BigInteger serial = r.getCertID().getSerialNumber();
            String status = pebble.certStatus(serial.toString(16));
            CertificateStatus s = CertificateStatus.GOOD;
            if (status.contains("\"Status\": \"Revoked\"")) {
                s = new RevokedStatus(now, org.bouncycastle.asn1.x509.CRLReason.unspecified);
                revokedAnswers.incrementAndGet();
            }
            b.addResponse(r.getCertID(), s, now, next);
        }
        String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        BasicOCSPResp basic = b.build(new JcaContentSignerBuilder(alg).build(issuerKey), null, now);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic);
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            JcaPEMKeyConverter c = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair kp) {
                return c.getKeyPair(kp).getPrivate();
            }
            if (o instanceof PrivateKeyInfo info) {
                return c.getPrivateKey(info);
            }
            throw new IOException("not a private key: " + (o == null ? "nothing" : o.getClass()));
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}

package io.portcullis.scan;

import java.util.List;
import java.util.Map;

/**
 * Everything one scan of one target found: the data every renderer (JSON, table, HTML) works from. Field names are
 * the JSON schema (snake_case via {@link ReportJson}); documented in {@code docs/scan-schema.md}. Add fields, never
 * rename them. A target that could not be scanned has {@code error} set and empty findings.
 */
public record ScanReport(String schemaVersion, String target, String host, int port, String ip, String sni,
                         String startedAt, long durationMillis, String error, List<ProtocolFinding> protocols,
                         List<CipherList> ciphers, KeyExchangeFinding keyExchange,
                         List<CertificateFinding> certificates, List<VulnerabilityFinding> vulnerabilities,
                         HttpFinding http, GradeResult grade, QuicFinding quic) {
    public static final String SCHEMA_VERSION = "1";

    /** One protocol version and whether the server accepted a handshake at exactly that version. */
    public record ProtocolFinding(String protocol, boolean offered, String detail) {
    }

    /** The suites one protocol accepts, in the server's order when it enforces one. */
    public record CipherList(String protocol, boolean serverPreference, List<CipherFinding> suites) {
    }

    /** One accepted suite. {@code strength}: strong, acceptable, weak or insecure. */
    public record CipherFinding(String code, String name, String opensslName, String keyExchange, int bits,
                                boolean forwardSecrecy, boolean aead, String strength) {
    }

    /** Groups in the server's order (TLS 1.3 via HelloRetryRequest, TLS 1.2 via ServerKeyExchange), DH size. */
    public record KeyExchangeFinding(List<String> groupsTls13, List<String> groupsTls12, Integer dhBits) {
    }

    /** One certificate chain as served; {@code fetched_with} says which handshake produced it. */
    public record CertificateFinding(String fetchedWith, String subject, String issuer, List<String> subjectAltNames,
                                     String keyType, int keyBits, String signatureAlgorithm, String notBefore,
                                     String notAfter, long daysLeft, boolean expired, boolean notYetValid,
                                     boolean selfSigned, boolean hostnameMatch, boolean trusted,
                                     boolean trustedJdk, boolean trustedSystem, String trustError,
                                     int chainLength, List<String> chain, boolean ocspStapled,
                                     boolean chainComplete, boolean chainInOrder, List<String> chainIssues,
                                     long lifespanDays, boolean mustStaple, boolean scts, List<String> ocspUrls) {
    }

    /** {@code status}: ok, vulnerable, not_applicable, not_tested or unknown. */
    public record VulnerabilityFinding(String id, String status, String detail) {
    }

    /** What the HTTPS front page says about itself; {@code error} when it could not be fetched. */
    public record HttpFinding(Integer status, String server, String hsts, Long hstsMaxAge,
                              boolean hstsIncludeSubdomains, boolean hstsPreload, Map<String, String> securityHeaders,
                              List<String> missingSecurityHeaders, String altSvc, boolean h3Advertised, String alpn,
                              String port80, String error) {
    }

    /**
     * Whether UDP {@code port} answers QUIC (a Version Negotiation to a reserved version), with the versions the
     * server listed. The port is the one Alt-Svc advertises for h3, else the scanned port.
     */
    public record QuicFinding(int port, boolean answers, List<String> versions, String detail) {
    }

    /** The SSL Labs style grade: scores, the caps that applied and why, and the Mozilla profile verdict. */
    public record GradeResult(String grade, int score, int protocolScore, int keyExchangeScore, int cipherScore,
                              List<GradeCap> caps, String mozillaProfile) {
    }

    /** One rule that limited the grade: the cap letter, why in one line, and the configuration line that fixes it. */
    public record GradeCap(String cap, String reason, String fix) {
    }

    static ScanReport failed(ScanTarget t, String ip, String startedAt, long millis, String error) {
        return new ScanReport(SCHEMA_VERSION, t.display(), t.host(), t.port(), ip, t.sniName(), startedAt, millis,
                error, List.of(), List.of(), null, List.of(), List.of(), null, null, null);
    }
}

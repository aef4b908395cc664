package io.portcullis.certs;

import java.security.cert.X509Certificate;
import java.util.List;

import io.portcullis.config.SiteTlsConfig;

/**
 * One certificate in service, for inventories ({@code portcullis cert list}).
 *
 * @param hosts  the site's host names
 * @param source where it comes from: files, the local CA or ACME
 * @param leaf   the certificate served
 */
public record ServedCertificate(List<String> hosts, SiteTlsConfig.Source source, X509Certificate leaf) {
}

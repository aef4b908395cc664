package io.portcullis.config;

import java.nio.file.Path;

/**
 * @param cert PEM file with the leaf certificate first, then intermediates (a "fullchain")
 * @param key  PEM file with the private key (PKCS#8, PKCS#1 RSA or SEC1 EC)
 */
public record CertificateFiles(Path cert, Path key) {
}

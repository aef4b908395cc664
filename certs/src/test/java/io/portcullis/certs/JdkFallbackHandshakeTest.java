package io.portcullis.certs;

import io.netty.handler.ssl.SslProvider;

/** The same handshakes with the JSSE fallback provider. */
class JdkFallbackHandshakeTest extends CertStoreHandshakeTest {
    @Override
    SslProvider providerUnderTest() {
        return SslProvider.JDK;
    }
}

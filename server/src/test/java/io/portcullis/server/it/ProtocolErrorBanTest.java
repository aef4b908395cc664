package io.portcullis.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.server.testing.PortcullisExtension;
import io.portcullis.server.testing.RawConnection;
import io.portcullis.server.testing.RawH2;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/2 protocol errors are audit events that ban rules can count. */
class ProtocolErrorBanTest {
    @RegisterExtension
    static PortcullisExtension server = PortcullisExtension.fromYaml("""
            bans: {rules: [{on: [protocol_error], count: 2, within: 1m}], duration: 1m}
            sites: [{hosts: [localhost], routes: [{respond: "ok"}]}]
            """);

    @Test
    void repeatedProtocolErrorsBanTheAddress() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (SSLSocket s = RawH2.connect(server, new byte[0])) {
                // DATA on stream 0 is a connection error (RFC 9113 section 6.1): GOAWAY PROTOCOL_ERROR.
                s.getOutputStream().write(RawH2.frame(RawH2.DATA, 0, 0, new byte[4]));
                s.setSoTimeout(5000);
                RawH2.Frame f;
                do {
                    f = RawH2.read(s.getInputStream());
                } while (f != null && f.type() != RawH2.GOAWAY);
                assertThat(f).isNotNull();
                assertThat(f.errorCode()).as("GOAWAY names the error").isEqualTo(1); // PROTOCOL_ERROR
            }
        }
        assertThat(server.auditLine("\"event\":\"protocol_error\"")).contains("127.0.0.1");
        assertThat(server.auditLine("\"event\":\"banned\"", "protocol_error")).contains("127.0.0.1");
        try (Socket next = new Socket("127.0.0.1", server.httpsPort())) {
            assertThat(RawConnection.closedByServer(next)).as("banned at accept").isTrue();
        }
    }
}

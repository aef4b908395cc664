package io.portcullis.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientCertGuardTest {
    @Test
    void subjectsCannotCarryLineBreaksOrNonAsciiIntoAHeader() {
        assertThat(ClientCertGuard.headerSafe("CN=alice,O=Example")).isEqualTo("CN=alice,O=Example");
        assertThat(ClientCertGuard.headerSafe("CN=a\r\nX-Admin: 1")).isEqualTo("CN=a\\0D\\0AX-Admin: 1");
        assertThat(ClientCertGuard.headerSafe("CN=Jürgen")).isEqualTo("CN=J\\C3\\BCrgen");
    }
}

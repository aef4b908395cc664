package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

class HashPasswordCommandTest {
    @Test
    void printsABcryptHashThatVerifies() {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream("correct horse\n".getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.execute("hash-password", "--cost", "10")).isZero();
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
        String hash = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(hash).startsWith("$2y$10$").hasSize(60);
        assertThat(OpenBSDBCrypt.checkPassword(hash, "correct horse".toCharArray())).isTrue();
        assertThat(OpenBSDBCrypt.checkPassword(hash, "wrong".toCharArray())).isFalse();
    }
}

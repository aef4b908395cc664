package io.portcullis.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The complete example in docs/config.md must load (with its files created) and match the documented defaults. */
class DocsExampleTest {
    @TempDir
    Path dir;

    private static String completeExample() throws Exception {
        Path docs = Path.of("../docs/config.md");
        String md = Files.readString(docs);
        int section = md.indexOf("## Complete example");
        int start = md.indexOf("```yaml\n", section) + "```yaml\n".length();
        return md.substring(start, md.indexOf("```", start));
    }

    @Test
    void completeExampleLoads() throws Exception {
        String yaml = completeExample().replace("/etc/portcullis/example.com/", "");
        for (String f : new String[] {"ecdsa-fullchain.pem", "ecdsa.key", "rsa-fullchain.pem", "rsa.key",
                "backend-ca.pem"}) {
            Files.writeString(dir.resolve(f), "x");
        }
        Files.createDirectories(dir.resolve("www"));

        PortcullisConfig c = ConfigLoader.loadString(yaml, "config.md", dir);

        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/portcullis"));
        assertThat(c.listeners()).isEqualTo(ConfigDefaults.listeners());
        assertThat(c.tls()).isEqualTo(ConfigDefaults.tls());
        assertThat(c.limits()).isEqualTo(ConfigDefaults.limits());
        assertThat(c.accessLog()).isEqualTo(ConfigDefaults.accessLog());
        assertThat(c.sites()).hasSize(2);
        assertThat(c.sites().get(0).hsts()).isEqualTo(ConfigDefaults.hsts());
        assertThat(c.sites().get(0).routes()).hasSize(4);
        assertThat(c.sites().get(0).tls().certificates()).hasSize(2);
        assertThat(c.sites().get(1).hosts()).containsExactly("internal.test", "localhost", "127.0.0.1");
        assertThat(c.defaultSite()).isSameAs(c.sites().get(0));
    }

    @Test
    void minimalExampleLoads() throws Exception {
        PortcullisConfig c = ConfigLoader.loadString("sites: [{hosts: [localhost], routes: [{respond: \"hi\"}]}]",
                "min.yaml", dir);
        assertThat(c.sites().get(0).routes().get(0).handler())
                .isEqualTo(new RespondConfig(200, "hi", "text/plain; charset=utf-8", java.util.Map.of()));
    }
}

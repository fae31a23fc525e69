package org.scratchimage.core.elf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchimage.core.tar.ExternalTools;

/**
 * Hostile {@code include} globs: each must give what glob(3) gives ldconfig (an unmatched {@code [} is literal,
 * {@code {}} is not special, a leading dot is matched only by a dot), never an exception. The expected lists were
 * taken from {@code ldconfig -r SYSROOT -N -X -v} (glibc 2.36), which the test also asks again when it is installed.
 */
class LdSoConfTest {
    @TempDir
    Path dir;

    /** File names of {@code /etc/conf.d} and the one directory each lists. */
    private static final String[][] CONF_FILES = {
        {"[x", "/opt/bracket"}, {"a.conf", "/opt/a"}, {"b.conf", "/opt/b"}, {"c.conf", "/opt/c"},
        {"{a,b}.conf", "/opt/brace"}, {"{a,{b}}.conf", "/opt/nested"}, {".hidden.conf", "/opt/hidden"},
        {"x]", "/opt/close"}, {"[", "/opt/open"}, {"sub/d.conf", "/opt/d"},
    };

    static Stream<Arguments> includes() {
        String all = "/opt/open /opt/bracket /opt/a /opt/b /opt/c /opt/close /opt/brace /opt/nested";
        return Stream.of(
                Arguments.of("conf.d/[x", "/opt/bracket"),
                Arguments.of("conf.d/{a,{b}}.conf", "/opt/nested"),
                Arguments.of("conf.d/{a,b}.conf", "/opt/brace"),
                Arguments.of("conf.d/[", "/opt/open"),
                Arguments.of("conf.d/[]", ""),
                Arguments.of("conf.d/[]]", ""),
                Arguments.of("conf.d/[!", ""),
                Arguments.of("conf.d/[\\]", ""),
                Arguments.of("conf.d/a\\", ""),
                Arguments.of("conf.d/*", all),
                Arguments.of("conf.d/***", all),
                Arguments.of("conf.d/*.conf", "/opt/a /opt/b /opt/c /opt/brace /opt/nested"),
                Arguments.of("conf.d/.*.conf", "/opt/hidden"),
                Arguments.of("conf.d/?hidden.conf", ""),
                Arguments.of("conf.d/[.]hidden.conf", ""),
                Arguments.of("conf.d/?.conf", "/opt/a /opt/b /opt/c"),
                Arguments.of("conf.d/[!ab].conf", "/opt/c"),
                Arguments.of("conf.d/[^ab].conf", "/opt/c"),
                Arguments.of("conf.d/[a-b].conf", "/opt/a /opt/b"),
                Arguments.of("conf.d/[b-a].conf", ""),
                Arguments.of("conf.d/[a-]*", "/opt/a"),
                Arguments.of("conf.d/\\[x", "/opt/bracket"),
                Arguments.of("conf.d/[[]x", "/opt/bracket"),
                Arguments.of("conf.d/x[]]", "/opt/close"),
                Arguments.of("conf.d/x\\]", "/opt/close"),
                Arguments.of("conf.d/[x]", ""),
                Arguments.of("conf.d/[[:alpha:]].conf", "/opt/a /opt/b /opt/c"),
                Arguments.of("conf.d/[[:bogus:]].conf", ""),
                Arguments.of("conf.d/*/d.conf", "/opt/d"),
                Arguments.of("/etc/conf.d/[x", "/opt/bracket"),
                Arguments.of("conf.d/[x conf.d/c.conf", "/opt/bracket /opt/c"),
                Arguments.of("ld.so.conf", ""));
    }

    @ParameterizedTest(name = "include {0}")
    @MethodSource("includes")
    void aHostileIncludeGlobMatchesWhatLdconfigMatchesAndNeverThrows(String patterns, String expected)
            throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        writeConfFiles(root);
        Files.writeString(root.resolve("etc/ld.so.conf"), "include " + patterns + "\n");

        List<String> directories = LdSoConf.directories(root);

        List<String> wanted = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(" "));
        assertThat(directories).isEqualTo(wanted);
        if (ExternalTools.available("ldconfig", "ldconfig is missing; install libc-bin to compare with the real glob")) {
            assertThat(directories).as("what ldconfig reads").isEqualTo(ldconfig(root));
        }
    }

    /** Random patterns of the characters glob(3) treats specially: never an exception, and ldconfig's result. */
    @Test
    void randomHostileIncludeGlobsMatchWhatLdconfigMatches() throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        writeConfFiles(root);
        boolean ldconfig = ExternalTools.available("ldconfig", "ldconfig is missing; install libc-bin to compare");
        String[] tokens = {"[", "]", "!", "^", "-", "*", "?", "\\", "{", "}", ",", ".", "a", "b", "x", ":", "[:alpha:]",
            ".conf", "/"};
        long seed = 20261130L;
        Random random = new Random(seed);
        for (int round = 0; round < (ldconfig ? 150 : 2000); round++) {
            StringBuilder pattern = new StringBuilder("conf.d/");
            for (int i = 1 + random.nextInt(6); i > 0; i--) {
                pattern.append(tokens[random.nextInt(tokens.length)]);
            }
            Files.writeString(root.resolve("etc/ld.so.conf"), "include " + pattern + "\n");
            List<String> directories;
            try {
                directories = LdSoConf.directories(root);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ", include " + pattern + ": " + e, e);
            }
            if (ldconfig) {
                assertThat(directories).as("seed %d, include %s", seed, pattern).isEqualTo(ldconfig(root));
            }
        }
    }

    private static void writeConfFiles(Path root) throws IOException {
        for (String[] file : CONF_FILES) {
            Path conf = root.resolve("etc/conf.d").resolve(file[0]);
            Files.createDirectories(conf.getParent());
            Files.writeString(conf, file[1] + "\n");
            // ldconfig lists only directories that exist.
            Files.createDirectories(root.resolve(file[1].substring(1)));
        }
    }

    /** The directories {@code ldconfig -v} reports reading from the configuration, without writing anything. */
    private static List<String> ldconfig(Path root) {
        String out = ExternalTools.run(List.of("ldconfig", "-r", root.toString(), "-N", "-X", "-v")).out();
        return out.lines().filter(line -> line.contains(": (from "))
                .map(line -> line.substring(0, line.indexOf(": (from "))).toList();
    }
}

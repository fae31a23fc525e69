package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scratchimage.core.image.Platform;

class PlatformsTest {

    @Test
    void osArchAndVariantAreParsed() throws Exception {
        assertThat(Platforms.parse("linux/amd64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(Platforms.parse("linux/arm64")).isEqualTo(new Platform("linux", "arm64", null));
        assertThat(Platforms.parse("linux/arm/v7")).isEqualTo(new Platform("linux", "arm", "v7"));
        assertThat(Platforms.parse("linux/arm64/v8")).isEqualTo(new Platform("linux", "arm64", "v8"));
        assertThat(Platforms.parse("windows/amd64")).isEqualTo(new Platform("windows", "amd64", null));
        assertThat(Platforms.parse("linux/arm/v7").toString()).isEqualTo("linux/arm/v7");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "linux", "linux/x64", "windows/amd64/zz", "linux/x86_64", "linux/aarch64", "Linux/amd64", "linux/amd64/",
        "/amd64", "linux//amd64", "linux/arm/v7/extra", "linux/arm/7", ""})
    void aBadPlatformIsRejected(String value) {
        assertInvalid(() -> Platforms.parse(value), "<platform>", value);
    }

    @ParameterizedTest(name = "os.arch {0} -> {1}")
    @CsvSource({"amd64, linux/amd64", "x86_64, linux/amd64", "aarch64, linux/arm64", "arm, linux/arm/v7",
        "ppc64le, linux/ppc64le", "s390x, linux/s390x", "riscv64, linux/riscv64", "i386, linux/386"})
    void anUnsetPlatformIsTheHostsWithGoNames(String osArch, String expected) throws Exception {
        assertThat(Platforms.resolve(null, osArch).toString()).isEqualTo(expected);
        assertThat(Platforms.resolve(" ", osArch).toString()).isEqualTo(expected);
    }

    @Test
    void aSetPlatformWinsOverTheHost() throws Exception {
        assertThat(Platforms.resolve("linux/s390x", "amd64")).isEqualTo(new Platform("linux", "s390x", null));
    }

    @Test
    void anUnknownHostArchitectureAsksForAnExplicitPlatform() {
        InvalidConfigurationException e = assertInvalid(() -> Platforms.resolve(null, "sparcv9"), "<platform>", null);

        assertThat(e.getMessage()).contains("sparcv9");
        assertThat(e.fix()).contains("<platform>");
    }
}

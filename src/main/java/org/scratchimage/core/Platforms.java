package org.scratchimage.core;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.scratchimage.core.image.Platform;

/** Parses {@code <platform>} and maps the JVM's {@code os.arch} to Go's names. */
final class Platforms {
    private static final Set<String> OPERATING_SYSTEMS = Set.of(
            "aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd",
            "openbsd", "plan9", "solaris", "wasip1", "windows");
    private static final Set<String> ARCHITECTURES = Set.of(
            "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le",
            "riscv64", "s390x", "wasm");
    private static final Pattern VARIANT = Pattern.compile("v[0-9]+(?:\\.[0-9]+)?");
    private static final Map<String, Platform> HOST_ARCHITECTURES = Map.ofEntries(
            Map.entry("amd64", new Platform("linux", "amd64", null)),
            Map.entry("x86_64", new Platform("linux", "amd64", null)),
            Map.entry("aarch64", new Platform("linux", "arm64", null)),
            Map.entry("arm64", new Platform("linux", "arm64", null)),
            Map.entry("arm", new Platform("linux", "arm", "v7")),
            Map.entry("x86", new Platform("linux", "386", null)),
            Map.entry("i386", new Platform("linux", "386", null)),
            Map.entry("i686", new Platform("linux", "386", null)),
            Map.entry("ppc64le", new Platform("linux", "ppc64le", null)),
            Map.entry("s390x", new Platform("linux", "s390x", null)),
            Map.entry("riscv64", new Platform("linux", "riscv64", null)));

    private Platforms() {}

    static Platform resolve(String platform, String hostArchitecture) throws InvalidConfigurationException {
        if (platform != null && !platform.isBlank()) {
            return parse(platform);
        }
        Platform host = HOST_ARCHITECTURES.get(String.valueOf(hostArchitecture));
        if (host == null) {
            throw new InvalidConfigurationException("<platform>", null,
                    "is not set and the host architecture \"" + hostArchitecture + "\" has no OCI name",
                    "set <platform> explicitly, such as linux/amd64 or linux/arm64");
        }
        return host;
    }

    static Platform parse(String value) throws InvalidConfigurationException {
        return parse("<platform>", value);
    }

    /** @param element the element that holds {@code value}, for the error */
    static Platform parse(String element, String value) throws InvalidConfigurationException {
        String[] parts = value.trim().split("/", -1);
        boolean valid = (parts.length == 2 || parts.length == 3)
                && OPERATING_SYSTEMS.contains(parts[0])
                && ARCHITECTURES.contains(parts[1])
                && (parts.length == 2 || VARIANT.matcher(parts[2]).matches());
        if (!valid) {
            throw new InvalidConfigurationException(element, value, "is not an OCI platform",
                    "write os/arch[/variant] with Go's names, such as linux/amd64, linux/arm64 or linux/arm/v7");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }
}

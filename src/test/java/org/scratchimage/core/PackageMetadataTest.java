package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.GeneratedFileEntry;
import org.scratchimage.core.image.ImageLayer;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;
import org.scratchimage.core.packages.PackageMetadata;
import org.scratchimage.core.tar.ExternalTools;

/** {@code <packageMetadata>}: what the build adds for the Debian packages of the image's files, and where. */
class PackageMetadataTest {
    @TempDir
    Path dir;

    @Test
    void theHostsCurlGetsItsPackagesInTheMetadataLayerJustAboveTheLibraries() throws Exception {
        Map<String, String> installed = HostPackages.versions();
        BuildRequest.Builder request = requestIn(dir).addBinary(binary(HostPackages.curl(), "/usr/bin/curl"))
                .packageMetadata(true);

        BuildResult result = new ImageBuilder(BuildListener.of(m -> { })).build(request.build());

        ImagePlan plan = result.plan();
        assertThat(plan.layers()).extracting(ImageLayer::name).containsExactly("libraries", "metadata", "app");
        PackageMetadata packages = plan.packages();
        assertThat(packages.ownerOf("usr/bin/curl").name()).isEqualTo("curl");
        Map<String, String> owners = new HashMap<>();
        packages.owners().values().forEach(p -> owners.put(p.name(), p.version()));
        assertThat(owners).containsKeys("curl", "libcurl4", "libc6");
        owners.forEach((name, version) -> assertThat(version).as(name).isEqualTo(installed.get(name)));
        assertThat(packages.osId()).isEqualTo(HostPackages.osRelease("ID"));
        ImageLayer metadata = plan.layers().get(1);
        List<String> files = new ArrayList<>();
        for (LayerEntry entry : metadata.entries()) {
            if (entry instanceof RegularFileEntry || entry instanceof GeneratedFileEntry) {
                files.add(entry.path());
                assertThat(entry.mode()).as(entry.path()).isEqualTo(0644);
                assertThat(entry.uid()).isZero();
                assertThat(entry.gid()).isZero();
            }
        }
        assertThat(files).contains("etc/os-release", "var/lib/dpkg/status.d/libc6",
                "var/lib/dpkg/status.d/libc6.md5sums", "var/lib/dpkg/status.d/libcurl4", "var/lib/dpkg/status.d/curl",
                "usr/share/doc/libc6/copyright");
        // Every file of the libraries layer belongs to a package of the host.
        for (LayerEntry entry : plan.layers().get(0).entries()) {
            if (entry instanceof RegularFileEntry) {
                assertThat(packages.ownerOf(entry.path())).as(entry.path()).isNotNull();
            }
        }
    }

    @Test
    void twoBuildsInDifferentFoldersGiveTheSameMetadataLayer() throws Exception {
        List<String> digests = new ArrayList<>();
        for (String folder : List.of("one", "other/two")) {
            Path project = Files.createDirectories(dir.resolve(folder));
            BuildResult result = new ImageBuilder(BuildListener.of(m -> { })).build(requestIn(project)
                    .addBinary(binary(HostPackages.curl(), "/usr/bin/curl")).packageMetadata(true).build());
            BuildResult.Layer layer = result.layers().stream().filter(l -> l.name().equals("metadata")).findFirst()
                    .orElseThrow();
            digests.add(layer.digest() + " " + layer.diffId() + " " + result.manifestDigest());
        }

        assertThat(digests.get(1)).isEqualTo(digests.get(0));
    }

    @Test
    void anUpgradedPackageRewritesTheMetadataLayerAndReusesTheOthers() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");
        Thread.sleep(Fingerprints.RACY_MILLIS + 50);
        BuildRequest request = toolImage(sysroot).build();
        new ImageBuilder(BuildListener.of(m -> { })).build(request);

        FixtureSysroot.writeStatus(sysroot, "1.0-2");
        List<String> log = new ArrayList<>();
        BuildResult second = new ImageBuilder(BuildListener.of(log::add)).build(request);

        assertThat(second.upToDate()).isFalse();
        assertThat(second.layers()).extracting(BuildResult.Layer::name).containsExactly("metadata", "app");
        assertThat(second.layers()).extracting(BuildResult.Layer::reused).containsExactly(false, true);
        assertThat(second.plan().packages().ownerOf("usr/bin/tool").version()).isEqualTo("1.0-2");
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("Layer metadata: ")
                .endsWith("written (the package metadata changed: a package of the image's files was upgraded)"));
    }

    @Test
    void offAddsNothing() throws Exception {
        ImagePlan plan = PlanningFixtures.plan(requestIn(dir).addBinary(binary(HostPackages.curl(), "/usr/bin/curl"))
                .packageMetadata(false));

        assertThat(plan.layers()).extracting(ImageLayer::name).containsExactly("libraries", "app");
        assertThat(plan.packages()).isSameAs(PackageMetadata.NONE);
        assertThat(plan.entries()).noneMatch(e -> e.path().startsWith("var/lib/dpkg") || e.path().startsWith("etc"));
    }

    @Test
    void layersMayPlaceTheMetadataLayerAnywhere() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");

        ImagePlan plan = PlanningFixtures.plan(toolImage(sysroot).layers(List.of("app", "metadata")));

        assertThat(plan.layers()).extracting(ImageLayer::name).containsExactly("app", "metadata");
    }

    @Test
    void layersWithoutTheMetadataLayerFailSayingHowToListItOrTurnItOff() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");

        InvalidConfigurationException e = PlanningFixtures.assertInvalid(
                () -> PlanningFixtures.plan(toolImage(sysroot).layers(List.of("app"))), "<layers>", "metadata");

        assertThat(e.getMessage()).contains("the package metadata of 1 Debian package")
                .contains("add <layer>metadata</layer> to <layers>")
                .contains("<packageMetadata>false</packageMetadata>");
    }

    @Test
    void aDeclaredFileAtAPathOfThePackageMetadataFailsSayingToTurnItOff() throws Exception {
        Path sysroot = FixtureSysroot.withTool(dir.resolve("sysroot"), "1.0-1");
        Files.writeString(dir.resolve("os-release"), "ID=mine\n");

        InvalidConfigurationException e = PlanningFixtures.assertInvalid(() -> PlanningFixtures.plan(
                toolImage(sysroot).addFile(file("os-release", "/etc/os-release"))), "<files>/<file>[2]/<path>",
                "/etc/os-release");

        assertThat(e.getMessage()).contains("the os-release of " + sysroot)
                .contains("Fix: set <packageMetadata>false</packageMetadata>");
    }

    private BuildRequest.Builder toolImage(Path sysroot) {
        return requestIn(dir).sysroot(sysroot.toString())
                .addFile(file(sysroot.resolve("usr/bin/tool").toString(), "/usr/bin/tool")).packageMetadata(true);
    }

    /** A sysroot with one package, {@code tool}, that owns {@code /usr/bin/tool}. */
    static final class FixtureSysroot {
        private FixtureSysroot() {}

        static Path withTool(Path sysroot, String version) throws IOException {
            Files.createDirectories(sysroot.resolve("usr/bin"));
            Files.writeString(sysroot.resolve("usr/bin/tool"), "tool\n");
            Files.createDirectories(sysroot.resolve("var/lib/dpkg/info"));
            Files.writeString(sysroot.resolve("var/lib/dpkg/info/tool.list"), "/usr/bin/tool\n");
            Files.createDirectories(sysroot.resolve("etc"));
            Files.writeString(sysroot.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
            writeStatus(sysroot, version);
            return sysroot;
        }

        static void writeStatus(Path sysroot, String version) throws IOException {
            Files.writeString(sysroot.resolve("var/lib/dpkg/status"), "Package: tool\nStatus: install ok installed\n"
                    + "Architecture: amd64\nVersion: " + version + "\n");
        }
    }

    /** The host's Debian packages, as dpkg-query lists them. */
    static final class HostPackages {
        private HostPackages() {}

        /** @return {@code /usr/bin/curl}; the test needs it (apt-get install -y curl) */
        static String curl() {
            ExternalTools.requireThat(Files.isRegularFile(Path.of("/usr/bin/curl")),
                    "/usr/bin/curl is not installed; install it (apt-get install -y curl)");
            return "/usr/bin/curl";
        }

        /** @return each installed package's version, by name */
        static Map<String, String> versions() {
            ExternalTools.Result result = ExternalTools.run(List.of("dpkg-query", "-W", "-f",
                    "${Package} ${Version} ${db:Status-Status}\\n")).assertSuccess();
            Map<String, String> versions = new HashMap<>();
            for (String line : result.out().split("\n")) {
                String[] words = line.split(" ");
                if (words.length == 3 && words[2].equals("installed")) {
                    versions.put(words[0], words[1]);
                }
            }
            return versions;
        }

        static String osRelease(String key) throws IOException {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1).replace("\"", "");
                }
            }
            return null;
        }
    }
}

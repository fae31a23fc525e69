package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.binary;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.tar.ExternalTools;

/**
 * A real scanner, offline, on an image of the host's curl: Trivy finds the Debian packages through the package
 * metadata, with the host's exact versions, and none without it.
 */
class TrivyScanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trivySeesTheDebianPackagesOfCurlWithTheHostsVersions() throws Exception {
        Map<String, String> host = PackageMetadataTest.HostPackages.versions();

        Map<String, String> found = scan(true);

        assertThat(found).containsKeys("curl", "libcurl4", "libc6", "libssl3", "zlib1g");
        found.forEach((name, version) -> assertThat(version).as(name).isEqualTo(host.get(name)));
    }

    @Test
    void trivySeesNoPackageWithoutThePackageMetadata() throws Exception {
        assertThat(scan(false)).isEmpty();
    }

    /** @return the Debian packages Trivy lists in the image, name to version */
    private Map<String, String> scan(boolean packageMetadata) throws Exception {
        ExternalTools.require("trivy");
        Path project = Files.createDirectories(dir.resolve("project"));
        new ImageBuilder(BuildListener.of(m -> { })).build(requestIn(project)
                .addBinary(binary(PackageMetadataTest.HostPackages.curl(), "/usr/bin/curl"))
                .packageMetadata(packageMetadata).build());
        Path layout = project.resolve("target/oci");
        Path report = dir.resolve("trivy.cdx.json");

        ExternalTools.run(null, List.of("trivy", "image", "--quiet", "--input", layout.toString(),
                "--format", "cyclonedx", "--offline-scan", "--scanners", "license", "--skip-db-update",
                "--cache-dir", dir.resolve("cache").toString(), "--output", report.toString()),
                Map.of("HOME", dir.toString())).assertSuccess();

        Map<String, String> packages = new TreeMap<>();
        for (JsonNode component : JSON.readTree(report.toFile()).path("components")) {
            String purl = component.path("purl").asText();
            if (purl.startsWith("pkg:deb/")) {
                assertThat(purl).contains("distro=" + PackageMetadataTest.HostPackages.osRelease("ID") + "-");
                // CycloneDX's version has no epoch: Trivy puts it in the purl, as epoch=2.
                Matcher epoch = Pattern.compile("[?&]epoch=(\\d+)").matcher(purl);
                packages.put(component.path("name").asText(),
                        (epoch.find() ? epoch.group(1) + ":" : "") + component.path("version").asText());
            }
        }
        return packages;
    }
}

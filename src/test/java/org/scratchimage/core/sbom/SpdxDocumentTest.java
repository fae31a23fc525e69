package org.scratchimage.core.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.scratchimage.core.image.FileDigest;

/** The parts of the document written as they go hold what SPDX defines, checked against Jackson's reading. */
class SpdxDocumentTest {
    private static final String MANIFEST = "sha256:" + "ab".repeat(32);

    @Test
    void theProjectsVerificationCodeIsTheSha1OfItsFilesSortedSha1s() throws Exception {
        Random random = new Random(5);
        List<FileDigest> files = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            byte[] sha1 = new byte[20];
            byte[] sha256 = new byte[32];
            random.nextBytes(sha1);
            random.nextBytes(sha256);
            files.add(new FileDigest("data/f" + k + (k % 7 == 0 ? " \"é\"\n" : ""), HexFormat.of().formatHex(sha1),
                    HexFormat.of().formatHex(sha256)));
        }
        // Out of name order: the document lists packages by name.
        OsPackage libz = new OsPackage("libz", "1.0", "amd64", "A <a@example.org>", List.of("MIT"));
        OsPackage liba = new OsPackage("liba", "2.0", "amd64", "B <b@example.org>", List.of("GPL-2.0-only"));
        OsPackages os = new OsPackages("debian", "12", List.of(libz, liba), Map.of(files.get(3).path(), "libz",
                files.get(7).path(), "liba"));

        JsonNode document = new ObjectMapper().readTree(SpdxDocument.write(new SbomImage("app", MANIFEST, "amd64",
                Instant.EPOCH), new MavenCoordinates("g", "app", "1"), os, files, "scratch-test"));

        List<String> sha1s = new ArrayList<>();
        for (FileDigest file : files) {
            if (file != files.get(3) && file != files.get(7)) {
                sha1s.add(file.sha1());
            }
        }
        sha1s.sort(null);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(String.join("", sha1s).getBytes(StandardCharsets.US_ASCII)));
        JsonNode project = document.get("packages").get(1);
        assertThat(project.get("primaryPackagePurpose").asText()).isEqualTo("APPLICATION");
        assertThat(project.get("packageVerificationCode").get("packageVerificationCodeValue").asText())
                .isEqualTo(expected);
        JsonNode files0 = document.get("files");
        assertThat(files0).hasSize(50);
        for (int k = 0; k < files.size(); k++) {
            JsonNode file = files0.get(k);
            assertThat(file.get("fileName").asText()).isEqualTo("./" + files.get(k).path());
            assertThat(file.get("checksums").get(0).get("checksumValue").asText()).isEqualTo(files.get(k).sha1());
            assertThat(file.get("checksums").get(1).get("checksumValue").asText()).isEqualTo(files.get(k).sha256());
        }
        // DESCRIBES, the project, the packages by name, then each file by its container, in the files' order.
        JsonNode packages = document.get("packages");
        assertThat(packages.get(2).get("name").asText()).isEqualTo("liba");
        assertThat(packages.get(3).get("name").asText()).isEqualTo("libz");
        JsonNode relationships = document.get("relationships");
        assertThat(relationships).hasSize(4 + 50);
        List<String> head = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            JsonNode r = relationships.get(k);
            head.add(r.get("spdxElementId").asText() + " " + r.get("relationshipType").asText() + " "
                    + r.get("relatedSpdxElement").asText());
        }
        assertThat(head).containsExactly("SPDXRef-DOCUMENT DESCRIBES SPDXRef-Image",
                "SPDXRef-Image CONTAINS " + packages.get(1).get("SPDXID").asText(),
                "SPDXRef-Image CONTAINS " + packages.get(2).get("SPDXID").asText(),
                "SPDXRef-Image CONTAINS " + packages.get(3).get("SPDXID").asText());
        for (int k = 0; k < files.size(); k++) {
            JsonNode contains = relationships.get(4 + k);
            assertThat(contains.get("relatedSpdxElement").asText()).isEqualTo(files0.get(k).get("SPDXID").asText());
            assertThat(contains.get("spdxElementId").asText())
                    .isEqualTo(packages.get(k == 3 ? 3 : k == 7 ? 2 : 1).get("SPDXID").asText());
        }
    }
}

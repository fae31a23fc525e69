package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.Platform;
import org.scratchimage.core.oci.Descriptor;
import org.scratchimage.core.oci.MediaTypes;
import org.scratchimage.core.oci.OciJson;
import org.scratchimage.core.oci.OciLayout;
import org.scratchimage.core.packages.DebianPackage;
import org.scratchimage.core.packages.PackageMetadata;
import org.scratchimage.core.sbom.MavenCoordinates;
import org.scratchimage.core.sbom.OsPackage;
import org.scratchimage.core.sbom.OsPackages;
import org.scratchimage.core.sbom.SbomImage;
import org.scratchimage.core.sbom.SpdxDocument;

/**
 * The SBOM of a build ({@code <sbom>}): the SPDX document made from the checksums taken while the layers were written
 * (or recorded when they were, for reused layers), put into the layout as a referrer of the image (the empty config,
 * the document as its one layer, the image manifest as its {@code subject}), and copied to its file.
 *
 * @param file where the document goes, resolved against the project
 * @param project the Maven project
 * @param packages what the image's files owe to Debian packages
 */
record ImageSbom(Path file, MavenCoordinates project, OsPackages packages) {
    /** The name clients such as oras give the document when they pull the referrer. */
    static final String TITLE = "sbom.spdx.json";

    /**
     * @return the SBOM the request asks for, or {@code null} for none
     * @throws InvalidConfigurationException if it asks for one without naming the project
     */
    static ImageSbom of(BuildRequest request, ImagePlan plan) throws InvalidConfigurationException {
        return of(request, plan, false);
    }

    /**
     * @param perPlatform whether the build has several platforms, each with its SBOM: the file name then holds the
     *     platform, {@code app-sbom-linux-arm64.spdx.json}
     * @return the SBOM of {@code plan} the request asks for, or {@code null} for none
     */
    static ImageSbom of(BuildRequest request, ImagePlan plan, boolean perPlatform)
            throws InvalidConfigurationException {
        if (request.sbomFile() == null) {
            return null;
        }
        MavenCoordinates project = request.project();
        if (project == null || blank(project.groupId()) || blank(project.artifactId()) || blank(project.version())) {
            throw new InvalidConfigurationException("<sbom>", "true", "needs the project's groupId, artifactId and"
                    + " version, which the request does not give", "build the image from a Maven project, or set"
                    + " <sbom>false</sbom>");
        }
        Path base = request.baseDirectory();
        Path file = (base == null ? request.sbomFile() : base.resolve(request.sbomFile())).toAbsolutePath().normalize();
        if (perPlatform) {
            file = file.resolveSibling(withPlatform(file.getFileName().toString(), plan.platform()));
        }
        return new ImageSbom(file, project, osPackages(plan));
    }

    /** @return {@code name} with {@code -os-arch[-variant]} before its {@code .spdx.json}, else at its end */
    static String withPlatform(String name, Platform platform) {
        String suffix = "-" + platform.os() + "-" + platform.architecture()
                + (platform.variant() == null ? "" : "-" + platform.variant());
        String extension = name.endsWith(".spdx.json") ? ".spdx.json" : "";
        return name.substring(0, name.length() - extension.length()) + suffix + extension;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The Debian packages of the plan, as the SBOM lists them. */
    static OsPackages osPackages(ImagePlan plan) {
        PackageMetadata metadata = plan.packages();
        if (metadata.isEmpty()) {
            return OsPackages.NONE;
        }
        Map<String, OsPackage> packages = new TreeMap<>();
        Map<String, String> owners = new HashMap<>();
        for (Map.Entry<String, DebianPackage> owner : metadata.owners().entrySet()) {
            DebianPackage p = owner.getValue();
            packages.computeIfAbsent(p.name(), name -> new OsPackage(name, p.version(), p.architecture(),
                    p.maintainer(), p.licenses()));
            owners.put(owner.getKey(), p.name());
        }
        return new OsPackages(metadata.osId(), metadata.osVersionId(), List.copyOf(packages.values()), owners);
    }

    /**
     * @return the fingerprint of what the SBOM adds to the layout beyond the image itself: the project and the
     *     packages; an image fingerprint that covers it makes a change of either a change of the layout
     */
    String fingerprint() {
        FieldDigest sha = new FieldDigest().text("sbom").text(project.groupId()).text(project.artifactId())
                .text(project.version()).text(packages.osId()).text(packages.osVersionId());
        for (OsPackage p : packages.packages()) {
            sha.text(p.name()).text(p.version()).text(p.architecture()).text(p.maintainer()).texts(p.licenses());
        }
        // Sorted, so that the map's iteration order does not matter.
        sha.map(new TreeMap<>(packages.owners()));
        return sha.hex();
    }

    /**
     * The SBOM as it went into a layout.
     *
     * @param bytes the document
     * @param document its blob, the referrer's one layer
     * @param referrer the referrer manifest
     */
    record Written(byte[] bytes, Descriptor document, Descriptor referrer) {
        BuildResult.Sbom result(Path file) {
            return new BuildResult.Sbom(file, document.digest(), document.size(), referrer.digest(), referrer.size());
        }
    }

    /**
     * Adds the document, the empty config and the referrer manifest to the layout being written.
     *
     * @param manifest the image manifest, the referrer's subject
     * @param files every regular file of the image, layer by layer, bottom first
     * @param tool the creator, {@code name-version}
     */
    Written addTo(OciLayout.Transaction transaction, ImagePlan plan, Descriptor manifest, List<FileDigest> files,
            String tool) throws IOException {
        byte[] document = SpdxDocument.write(new SbomImage(plan.image(), manifest.digest(),
                plan.platform().architecture(), plan.created()), project, packages, files, tool);
        Descriptor blob = transaction.addBlob(document, MediaTypes.SPDX_JSON);
        transaction.addBlob(OciJson.emptyJson(), MediaTypes.EMPTY);
        Descriptor referrer = transaction.addBlob(OciJson.referrer(MediaTypes.SPDX_JSON, blob, TITLE, manifest,
                plan.created()), MediaTypes.MANIFEST);
        return new Written(document, blob, referrer);
    }

    /** @return whether {@link #file} holds the document of {@code digest} */
    boolean current(String digest) throws IOException {
        return holds(file, digest);
    }

    /** @return whether {@code file} holds the document of {@code digest} */
    static boolean holds(Path file, String digest) throws IOException {
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    && DigestingOutputStream.digestOf(Files.readAllBytes(file)).equals(digest);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Writes {@code document} to {@link #file}, atomically. */
    void write(byte[] document) throws IOException {
        write(file, document);
    }

    private static void write(Path file, byte[] document) throws IOException {
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(temp, document);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Copies the document of {@code digest} from the layout, where the referrer holds it, to {@link #file}. */
    void restore(Path layout, String digest) throws IOException {
        restore(file, layout, digest);
    }

    /** Copies the document of {@code digest} from the layout, where the referrer holds it, to {@code file}. */
    static void restore(Path file, Path layout, String digest) throws IOException {
        write(file, Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring(7))));
    }
}

package org.scratchimage.core.sbom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.scratchimage.core.compress.DigestingOutputStream;
import org.scratchimage.core.image.FileDigest;
import org.scratchimage.core.oci.JsonText;

/**
 * The SPDX 2.3 JSON document of an image: the image as a {@code CONTAINER} package, one package per distribution
 * package that owns files of it, one for the Maven project, and every regular file with its SHA-1 and SHA-256,
 * contained by its package, or by the project when no package owns it.
 *
 * <p>The bytes depend on nothing but the inputs: {@code created} is the image's timestamp, the namespace is made of the
 * image name, the manifest digest and a hash of the document's content, and every SPDXID is made of a name or path
 * and its hash, never a random or host value. The JSON is compact, with keys in a fixed order.
 */
public final class SpdxDocument {
    /** The namespace's base: an SPDX document names itself by a URI that need not resolve. */
    static final String NAMESPACE = "https://scratchimage.org/spdx/";
    private static final String NOASSERTION = "NOASSERTION";
    /** An SPDX license id (with {@code +} for "or later"); {@code LicenseRef-} ids would need their text. */
    private static final Pattern LICENSE_ID = Pattern.compile("(?!LicenseRef-)[A-Za-z0-9][A-Za-z0-9.-]*\\+?");
    private static final Pattern MAINTAINER = Pattern.compile("\\s*([^<]*?)\\s*<([^>]*)>\\s*");

    private SpdxDocument() {}

    /**
     * @param image the image
     * @param project the Maven project, which contains every file no package owns
     * @param os the distribution packages and the files they own, {@link OsPackages#NONE} for none
     * @param files every regular file of the image, layer by layer, bottom first, each in tar order
     * @param tool the creator, {@code name-version}
     * @return the document's UTF-8 bytes
     */
    public static byte[] write(SbomImage image, MavenCoordinates project, OsPackages os, List<FileDigest> files,
            String tool) {
        String imageId = "SPDXRef-Image";
        String projectId = id("Package-maven-", project.groupId() + ":" + project.artifactId());
        List<Object> packages = new ArrayList<>();

        Map<String, String> packageIds = new HashMap<>();
        Map<String, List<FileDigest>> contents = new TreeMap<>();
        List<OsPackage> osPackages = new ArrayList<>(os.packages());
        osPackages.sort((a, b) -> a.name().compareTo(b.name()));
        for (OsPackage p : osPackages) {
            packageIds.put(p.name(), id("Package-deb-", p.name()));
            contents.put(p.name(), new ArrayList<>());
        }
        List<FileDigest> projectFiles = new ArrayList<>();
        // The files and their containment, most of the document, written as they go rather than built as maps.
        String[] fileIds = new String[files.size()];
        String[] ownerIds = new String[files.size()];
        // About 330 bytes a file besides its path, which it holds twice (its name and its id).
        JsonText.Writer fileList = new JsonText.Writer(files.stream().mapToInt(f -> 340 + 2 * f.path().length())
                .sum() + 16).beginArray();
        for (int k = 0; k < files.size(); k++) {
            FileDigest file = files.get(k);
            String fileId = id("File-", file.path());
            String owner = os.owners().get(file.path());
            String ownerId = owner == null ? null : packageIds.get(owner);
            if (ownerId == null) {
                projectFiles.add(file);
                ownerId = projectId;
            } else {
                contents.get(owner).add(file);
            }
            fileIds[k] = fileId;
            ownerIds[k] = ownerId;
            fileList.beginObject().name("fileName").value("./" + file.path()).name("SPDXID").value(fileId)
                    .name("checksums").beginArray();
            checksum(fileList, "SHA1", file.sha1());
            checksum(fileList, "SHA256", file.sha256());
            fileList.endArray().name("licenseConcluded").value(NOASSERTION).name("copyrightText").value(NOASSERTION)
                    .endObject();
        }

        Map<String, Object> imagePackage = new LinkedHashMap<>();
        imagePackage.put("name", image.name());
        imagePackage.put("SPDXID", imageId);
        imagePackage.put("versionInfo", image.manifestDigest());
        imagePackage.put("supplier", NOASSERTION);
        imagePackage.put("downloadLocation", NOASSERTION);
        imagePackage.put("filesAnalyzed", false);
        imagePackage.put("checksums", List.of(checksum("SHA256",
                image.manifestDigest().substring(image.manifestDigest().indexOf(':') + 1))));
        imagePackage.put("licenseConcluded", NOASSERTION);
        imagePackage.put("licenseDeclared", NOASSERTION);
        imagePackage.put("copyrightText", NOASSERTION);
        imagePackage.put("externalRefs", List.of(purl(Purl.oci(image.name(), image.manifestDigest(),
                image.architecture()))));
        imagePackage.put("primaryPackagePurpose", "CONTAINER");
        packages.add(imagePackage);

        Map<String, Object> projectPackage = new LinkedHashMap<>();
        projectPackage.put("name", project.artifactId());
        projectPackage.put("SPDXID", projectId);
        projectPackage.put("versionInfo", project.version());
        projectPackage.put("supplier", NOASSERTION);
        projectPackage.put("downloadLocation", NOASSERTION);
        analyzed(projectPackage, projectFiles);
        projectPackage.put("licenseConcluded", NOASSERTION);
        projectPackage.put("licenseDeclared", NOASSERTION);
        projectPackage.put("copyrightText", NOASSERTION);
        projectPackage.put("externalRefs", List.of(purl(Purl.maven(project))));
        projectPackage.put("primaryPackagePurpose", "APPLICATION");
        packages.add(projectPackage);
        // About 110 bytes a relationship besides its two ids; a file's id is about its path's length and 30 more.
        JsonText.Writer relationships = new JsonText.Writer(files.stream().mapToInt(f -> 200 + f.path().length()
                + projectId.length()).sum() + 4096).beginArray();
        relationship(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", imageId);
        relationship(relationships, imageId, "CONTAINS", projectId);

        String distro = os.osId() == null || os.osVersionId() == null ? null : os.osId() + "-" + os.osVersionId();
        String vendor = os.osId() == null ? "debian" : os.osId();
        for (OsPackage p : osPackages) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", p.name());
            json.put("SPDXID", packageIds.get(p.name()));
            json.put("versionInfo", p.version());
            json.put("supplier", supplier(p.maintainer()));
            json.put("downloadLocation", NOASSERTION);
            analyzed(json, contents.get(p.name()));
            json.put("licenseConcluded", NOASSERTION);
            json.put("licenseDeclared", licenses(p.licenses()));
            json.put("copyrightText", NOASSERTION);
            json.put("externalRefs", List.of(purl(Purl.deb(vendor, p.name(), p.version(), p.architecture(),
                    distro))));
            json.put("primaryPackagePurpose", "LIBRARY");
            packages.add(json);
            relationship(relationships, imageId, "CONTAINS", packageIds.get(p.name()));
        }
        for (int k = 0; k < fileIds.length; k++) {
            relationship(relationships, ownerIds[k], "CONTAINS", fileIds[k]);
        }

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("spdxVersion", "SPDX-2.3");
        document.put("dataLicense", "CC0-1.0");
        document.put("SPDXID", "SPDXRef-DOCUMENT");
        document.put("name", image.name() + "@" + image.manifestDigest());
        // Unique per document: the same manifest described with another project or packages gets another namespace,
        // from the SHA-256 of [packages,files,relationships]; each part written once, for the hash and the document.
        JsonText.Raw packagesJson = new JsonText.Raw(JsonText.write(packages));
        JsonText.Raw filesJson = fileList.endArray().raw();
        JsonText.Raw relationshipsJson = relationships.endArray().raw();
        MessageDigest parts = DigestingOutputStream.newSha256();
        parts.update((byte) '[');
        parts.update(packagesJson.json());
        parts.update((byte) ',');
        parts.update(filesJson.json());
        parts.update((byte) ',');
        parts.update(relationshipsJson.json());
        parts.update((byte) ']');
        String content = HexFormat.of().formatHex(parts.digest()).substring(0, 16);
        StringBuilder namespace = new StringBuilder(NAMESPACE);
        Purl.encode(image.name(), namespace);
        namespace.append('/').append(image.manifestDigest().replace(':', '-')).append('-').append(content);
        document.put("documentNamespace", namespace.toString());
        Map<String, Object> creation = new LinkedHashMap<>();
        creation.put("created", image.created().toString());
        creation.put("creators", List.of("Tool: " + tool));
        document.put("creationInfo", creation);
        document.put("packages", packagesJson);
        document.put("files", filesJson);
        document.put("relationships", relationshipsJson);
        return new JsonText.Writer(packagesJson.json().length + filesJson.json().length
                + relationshipsJson.json().length + 4096).value(document).raw().json();
    }

    /**
     * A package whose files are listed: with the verification code SPDX defines (the SHA-1 of its files' SHA-1s,
     * sorted and joined), or, without files, marked as not analysed.
     */
    private static void analyzed(Map<String, Object> json, List<FileDigest> files) {
        if (files.isEmpty()) {
            json.put("filesAnalyzed", false);
            return;
        }
        json.put("filesAnalyzed", true);
        String[] sha1s = new String[files.size()];
        for (int k = 0; k < sha1s.length; k++) {
            sha1s[k] = files.get(k).sha1();
        }
        Arrays.sort(sha1s);
        MessageDigest joined = DigestingOutputStream.newSha1();
        for (String sha1 : sha1s) {
            joined.update(sha1.getBytes(StandardCharsets.US_ASCII));
        }
        Map<String, Object> code = new LinkedHashMap<>();
        code.put("packageVerificationCodeValue", HexFormat.of().formatHex(joined.digest()));
        json.put("packageVerificationCode", code);
    }

    /** @return the ids joined with {@code AND}, or NOASSERTION when there are none or one is no SPDX id */
    static String licenses(List<String> ids) {
        if (ids.isEmpty()) {
            return NOASSERTION;
        }
        List<String> distinct = new ArrayList<>();
        for (String id : ids) {
            if (id == null || !LICENSE_ID.matcher(id).matches()) {
                return NOASSERTION;
            }
            if (!distinct.contains(id)) {
                distinct.add(id);
            }
        }
        return String.join(" AND ", distinct);
    }

    /** @return {@code Person: Name (address)} from a Debian {@code Maintainer} field, or NOASSERTION */
    static String supplier(String maintainer) {
        if (maintainer == null || maintainer.isBlank()) {
            return NOASSERTION;
        }
        var matcher = MAINTAINER.matcher(maintainer);
        if (matcher.matches() && !matcher.group(1).isEmpty()) {
            return "Person: " + matcher.group(1) + " (" + matcher.group(2) + ")";
        }
        return "Person: " + maintainer.strip();
    }

    /**
     * @return {@code SPDXRef-<kind><name>-<hash>}: the name with every character an SPDXID cannot hold as {@code -},
     *     and the first 16 hex digits of the SHA-256 of the name, so that names which read alike stay apart
     */
    static String id(String kind, String name) {
        StringBuilder id = new StringBuilder("SPDXRef-").append(kind);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            id.append((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ? c : '-');
        }
        return id.append('-').append(sha256(name.getBytes(StandardCharsets.UTF_8)), 0, 16).toString();
    }

    private static Map<String, Object> checksum(String algorithm, String value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("algorithm", algorithm);
        json.put("checksumValue", value);
        return json;
    }

    private static Map<String, Object> purl(String locator) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("referenceCategory", "PACKAGE-MANAGER");
        json.put("referenceType", "purl");
        json.put("referenceLocator", locator);
        return json;
    }

    private static void relationship(JsonText.Writer json, String from, String type, String to) {
        json.beginObject().name("spdxElementId").value(from).name("relationshipType").value(type)
                .name("relatedSpdxElement").value(to).endObject();
    }

    private static void checksum(JsonText.Writer json, String algorithm, String value) {
        json.beginObject().name("algorithm").value(algorithm).name("checksumValue").value(value).endObject();
    }

    /** One per thread, reset by each {@code digest}: a new instance for each of 20,000 files' ids costs a lookup. */
    private static final ThreadLocal<MessageDigest> SHA_256 =
            ThreadLocal.withInitial(DigestingOutputStream::newSha256);

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(SHA_256.get().digest(bytes));
    }
}

package org.scratchimage.core.sbom;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Package URLs ({@code pkg:type/namespace/name@version?qualifiers}) as the purl specification writes them: each
 * component percent-encoded, with only the unreserved characters {@code A-Z a-z 0-9 . - _ ~} left as they are (so a
 * digest's or an epoch's {@code :} is {@code %3A} and a Debian {@code +} is {@code %2B}), and the qualifiers sorted
 * by key, empty ones left out.
 */
public final class Purl {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Purl() {}

    /**
     * @param vendor the distribution's {@code os-release} ID, such as {@code debian}
     * @param distro {@code <id>-<version_id>}, such as {@code debian-12}, or {@code null}
     * @return {@code pkg:deb/<vendor>/<name>@<version>?arch=<arch>&distro=<distro>}
     */
    public static String deb(String vendor, String name, String version, String architecture, String distro) {
        Map<String, String> qualifiers = new TreeMap<>();
        qualifiers.put("arch", architecture);
        qualifiers.put("distro", distro);
        return of("deb", vendor, name, version, qualifiers);
    }

    /** @return {@code pkg:maven/<groupId>/<artifactId>@<version>} */
    public static String maven(MavenCoordinates project) {
        return of("maven", project.groupId(), project.artifactId(), project.version(), Map.of());
    }

    /**
     * The image by its manifest digest. The purl's name is the last part of the image name, lowercase; the whole
     * name without a tag goes to {@code repository_url} when it has more than that part (a registry or a path).
     *
     * @param image the image name without a tag, such as {@code registry.example.org/team/app}
     * @param manifestDigest {@code sha256:<hex>}
     * @param architecture the platform's architecture, such as {@code amd64}
     */
    public static String oci(String image, String manifestDigest, String architecture) {
        int slash = image.lastIndexOf('/');
        Map<String, String> qualifiers = new TreeMap<>();
        qualifiers.put("arch", architecture);
        if (slash >= 0) {
            qualifiers.put("repository_url", image);
        }
        return of("oci", null, image.substring(slash + 1), manifestDigest, qualifiers);
    }

    private static String of(String type, String namespace, String name, String version,
            Map<String, String> qualifiers) {
        StringBuilder purl = new StringBuilder("pkg:").append(type).append('/');
        if (namespace != null && !namespace.isEmpty()) {
            encode(namespace, purl);
            purl.append('/');
        }
        encode(name, purl);
        if (version != null && !version.isEmpty()) {
            purl.append('@');
            encode(version, purl);
        }
        char separator = '?';
        for (Map.Entry<String, String> qualifier : new TreeMap<>(qualifiers).entrySet()) {
            if (qualifier.getValue() == null || qualifier.getValue().isEmpty()) {
                continue;
            }
            purl.append(separator).append(qualifier.getKey()).append('=');
            encode(qualifier.getValue(), purl);
            separator = '&';
        }
        return purl.toString();
    }

    /** Percent-encodes the UTF-8 bytes of {@code text}, all but the unreserved characters. */
    static void encode(String text, StringBuilder out) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
    }
}

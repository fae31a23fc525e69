package org.scratchimage.core.java;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK that links the image's runtime: its home, its release, its modules (from the {@code release} file's
 * {@code MODULES}) and its identity, the key of everything made from it.
 *
 * @param home the JDK's home, every link resolved
 * @param feature the feature version, such as 17 or 25
 * @param modules the modules it has
 * @param jmods whether it has a {@code jmods/} folder to link from
 * @param running whether it is the JDK this JVM runs on, whose tools run in-process
 * @param identity a hash of its {@code release} file and the stamp of what jlink reads ({@code jmods/}, else
 *     {@code lib/modules}): another build or update of the JDK gives another identity
 */
public record Jdk(Path home, int feature, SortedSet<String> modules, boolean jmods, boolean running, String identity) {
    /** JEP 493: from this release on, a JDK may be built to link from its own run-time image, without jmods. */
    static final int RUNTIME_LINKING = 24;
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(1\\.)?([0-9]+)[^\"]*\"");
    private static final Pattern MODULES = Pattern.compile("(?m)^MODULES=\"([^\"]*)\"");

    public Jdk {
        modules = Collections.unmodifiableSortedSet(new TreeSet<>(modules));
    }

    /**
     * @param configured the JDK as given ({@code <jdk>}), or {@code null} for the one running this JVM
     * @param runningHome the home of the JDK running this JVM ({@code java.home})
     * @throws JavaSetupException if {@code configured} is no JDK
     */
    public static Jdk of(String configured, Path runningHome) throws JavaSetupException, IOException {
        Path running = runningHome.toRealPath();
        Path home = running;
        if (configured != null && !configured.isBlank()) {
            Path given = Path.of(configured.trim());
            if (!Files.isDirectory(given)) {
                throw new JavaSetupException("jdk", configured, "is not a folder",
                        "give the home of a JDK (the folder that holds bin/ and release), or remove it to use the"
                                + " JDK running Maven");
            }
            home = given.toRealPath();
        }
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            throw new JavaSetupException("jdk", configured == null ? home.toString() : configured,
                    "has no release file, so it is no JDK home", "give the home of a JDK 11 or later, the folder"
                            + " that holds bin/, lib/ and release");
        }
        byte[] bytes = Files.readAllBytes(release);
        String text = new String(bytes, StandardCharsets.UTF_8);
        Matcher version = VERSION.matcher(text);
        Matcher modules = MODULES.matcher(text);
        if (!version.find() || !modules.find()) {
            throw new JavaSetupException("jdk", configured == null ? home.toString() : configured,
                    "has a release file without JAVA_VERSION or MODULES", "give the home of a JDK 11 or later");
        }
        SortedSet<String> names = new TreeSet<>(List.of(modules.group(1).trim().split("\\s+")));
        Path jmods = home.resolve("jmods");
        boolean hasJmods = Files.isDirectory(jmods);
        Path linked = hasJmods ? jmods : home.resolve("lib").resolve("modules");
        return new Jdk(home, Integer.parseInt(version.group(2)), names, hasJmods, home.equals(running),
                identity(bytes, linked));
    }

    /** @return the JDK's name for messages: its home and feature version */
    public String describe() {
        return home + " (Java " + feature + ")";
    }

    /**
     * @throws JavaSetupException unless jlink can link with this JDK: from {@code jmods/}, or, from JDK 24 on, from
     *     its run-time image when it was built for it (JEP 493; {@code jlink --help} then says so)
     */
    void checkCanLink(String configured) throws JavaSetupException, IOException {
        if (jmods) {
            return;
        }
        if (feature >= RUNTIME_LINKING) {
            JdkTools.Run help = JdkTools.run(this, "jlink", List.of("--help"));
            if (help.output().contains("Linking from run-time image enabled")) {
                return;
            }
        }
        throw new JavaSetupException("jdk", configured == null ? home.toString() : configured, "cannot link a"
                + " runtime: it has no jmods/ folder, and " + (feature >= RUNTIME_LINKING
                        ? "its jlink does not link from the run-time image (JEP 493: the JDK was not built with"
                                + " --enable-linkable-runtime)"
                        : "Java " + feature + " cannot link from its run-time image (JEP 493 came with Java 24)"),
                "point <jdk> at a JDK that has jmods/ (Debian's openjdk-" + feature + "-jdk-headless has them; some"
                        + " distributions ship them in a separate -jmods package) or that links from its run-time"
                        + " image, such as Temurin 24 or later");
    }

    private static String identity(byte[] release, Path linked) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(release);
            if (Files.exists(linked)) {
                Map<String, Object> stamp = Files.readAttributes(linked, "unix:ino,dev,size,lastModifiedTime,ctime",
                        LinkOption.NOFOLLOW_LINKS);
                String line = "\n" + stamp.get("ino") + ' ' + stamp.get("dev") + ' ' + stamp.get("size") + ' '
                        + ((FileTime) stamp.get("lastModifiedTime")).toInstant() + ' '
                        + ((FileTime) stamp.get("ctime")).toInstant();
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}

package org.scratchimage.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The text of {@link BuildState}'s file, {@code .<name>.scratch-state}: a properties file with, for one image,
 * {@code manifest}, {@code config}, their sizes, {@code layers} and {@code layer.N.*} (name, fingerprint or
 * {@code racy}, digest, size, diffId, entries, listing), and with an SBOM {@code referrer} and {@code sbom}; for a
 * multi-platform build, {@code images}, {@code imageIndex} and {@code imageIndexSize}, then each image's keys
 * prefixed with {@code image.K.}. Written with every value a digest, a number or an escaped name, so that
 * {@link Properties#load} reads back exactly what was written; read strictly: a value of the wrong form is an
 * {@link IllegalArgumentException}, and the state does not count.
 */
final class BuildStateFormat {
    private static final String DIGEST = "sha256:[a-f0-9]{64}";
    /** Recorded in place of a fingerprint that cannot be trusted yet. */
    static final String RACY = "racy";

    private BuildStateFormat() {}

    /** @return the key prefix of each image the state records: {@code ""} for a single image */
    static List<String> prefixes(Properties state) {
        String count = state.getProperty("images");
        if (count == null) {
            return List.of("");
        }
        int images = Integer.parseInt(count);
        if (images < 1) {
            throw new IllegalArgumentException("images");
        }
        List<String> prefixes = new ArrayList<>();
        for (int i = 1; i <= images; i++) {
            prefixes.add(prefix(i - 1, true));
        }
        return prefixes;
    }

    /** @return the key prefix of image {@code i} (from 0) of a state with an image index, or of the one image */
    static String prefix(int i, boolean indexed) {
        return indexed ? "image." + (i + 1) + "." : "";
    }

    static BuildState.Image image(Properties state, String prefix) {
        BuildResult.Sbom sbom = state.getProperty(prefix + "referrer") == null ? null : new BuildResult.Sbom(null,
                digest(state, prefix + "sbom"), Long.parseLong(state.getProperty(prefix + "sbomSize", "-1")),
                digest(state, prefix + "referrer"), Long.parseLong(state.getProperty(prefix + "referrerSize", "-1")));
        return new BuildState.Image(digest(state, prefix + "manifest"),
                Long.parseLong(state.getProperty(prefix + "manifestSize", "-1")), digest(state, prefix + "config"),
                Long.parseLong(state.getProperty(prefix + "configSize", "-1")), layers(state, prefix), sbom);
    }

    static String hexOrNull(String value) {
        return value != null && value.matches("[a-f0-9]{64}") ? value : null;
    }

    static List<BuildState.Recorded> layers(Properties state, String prefix) {
        int count = Integer.parseInt(state.getProperty(prefix + "layers", "-1"));
        if (count < 1) {
            throw new IllegalArgumentException("layers");
        }
        List<BuildState.Recorded> layers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String key = prefix + "layer." + i + ".";
            String fingerprint = state.getProperty(key + "fingerprint", "");
            if (fingerprint.equals(RACY)) {
                fingerprint = null;
            } else if (!fingerprint.matches("[a-f0-9]{64}")) {
                throw new IllegalArgumentException(key + "fingerprint");
            }
            layers.add(new BuildState.Recorded(fingerprint, new BuildResult.Layer(state.getProperty(key + "name", ""),
                    digest(state, key + "digest"), Long.parseLong(state.getProperty(key + "size", "-1")),
                    digest(state, key + "diffId"), Long.parseLong(state.getProperty(key + "entries", "-1")),
                    false)));
        }
        return layers;
    }

    static String digest(Properties state, String key) {
        String value = state.getProperty(key);
        if (value == null || !value.matches(DIGEST)) {
            throw new IllegalArgumentException(key);
        }
        return value;
    }

    static String text(String fingerprint, List<Fingerprints> fingerprints, List<LayerReasons> reasons,
            String index, BuildResult result) {
        StringBuilder text = new StringBuilder();
        // A racy layer is written down without its fingerprint: its blob is right, but a later change to one of its
        // sources might not show in their stamps, so neither it nor the whole build may be taken as unchanged.
        // Every value is a digest, a number or a layer name (Values.LAYER: [a-z0-9._-]), none of which a
        // properties file reads differently; the name is escaped all the same.
        boolean racy = fingerprints.stream().anyMatch(Fingerprints::anyRacy);
        text.append("fingerprint=").append(racy ? RACY : fingerprint).append("\nindex=").append(index).append('\n');
        boolean indexed = result.index() != null;
        if (indexed) {
            text.append("images=").append(result.images().size()).append("\nimageIndex=")
                    .append(result.index().digest()).append("\nimageIndexSize=").append(result.index().size())
                    .append('\n');
        }
        if (reasons != null) {
            text.append("settings=").append(reasons.get(0).settings()).append('\n');
        }
        for (int k = 0; k < result.images().size(); k++) {
            image(text, prefix(k, indexed), fingerprints.get(k), reasons == null ? null : reasons.get(k),
                    result.images().get(k));
        }
        return text.toString();
    }

    static void image(StringBuilder text, String prefix, Fingerprints fingerprints, LayerReasons reasons,
            BuildResult.Image image) {
        text.append(prefix).append("manifest=").append(image.manifestDigest()).append('\n')
                .append(prefix).append("manifestSize=").append(image.manifestSize()).append('\n')
                .append(prefix).append("config=").append(image.configDigest()).append('\n')
                .append(prefix).append("configSize=").append(image.configSize()).append('\n')
                .append(prefix).append("layers=").append(image.layers().size()).append('\n');
        if (image.sbom() != null) {
            BuildResult.Sbom sbom = image.sbom();
            text.append(prefix).append("referrer=").append(sbom.referrer()).append('\n')
                    .append(prefix).append("referrerSize=").append(sbom.referrerSize()).append('\n')
                    .append(prefix).append("sbom=").append(sbom.digest()).append('\n')
                    .append(prefix).append("sbomSize=").append(sbom.size()).append('\n');
        }
        for (int i = 0; i < image.layers().size(); i++) {
            BuildResult.Layer layer = image.layers().get(i);
            String key = prefix + "layer." + (i + 1) + ".";
            text.append(key).append("name=");
            escape(layer.name(), text);
            text.append('\n')
                    .append(key).append("fingerprint=")
                    .append(fingerprints.racy().get(i) ? RACY : fingerprints.layers().get(i)).append('\n')
                    .append(key).append("digest=").append(layer.digest()).append('\n')
                    .append(key).append("size=").append(layer.size()).append('\n')
                    .append(key).append("diffId=").append(layer.diffId()).append('\n')
                    .append(key).append("entries=").append(layer.entries()).append('\n');
            if (reasons != null) {
                text.append(key).append("listing=").append(reasons.listings().get(i)).append('\n');
            }
        }
    }

    /**
     * Writes {@code value} so that {@link Properties#load} reads it back as it is: any character but
     * {@code [A-Za-z0-9._-]} as a backslash-u escape.
     */
    static void escape(String value, StringBuilder text) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-') {
                text.append(c);
            } else {
                text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
    }

}

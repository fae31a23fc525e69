package org.scratchimage.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.scratchimage.core.BuildResult;
import org.scratchimage.core.oci.MediaTypes;

/** What the registry tests share: a built image's blobs, options with short waits, and a listener that records. */
final class PushFixture {
    private PushFixture() {}

    /** Records every line the client logs, so that tests can look for secrets and decisions. */
    static final class Log implements RegistryListener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Long> progress = new CopyOnWriteArrayList<>();

        @Override
        public void debug(String message) {
            lines.add("debug: " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("warn: " + message);
        }

        @Override
        public void progress(String repository, String digest, long sent, long total) {
            progress.add(sent);
        }

        String all() {
            return String.join("\n", lines);
        }
    }

    static Path blob(BuildResult image, String digest) {
        return image.layout().resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    /** Pushes the image as the mojo will: blobs the registry lacks, then the manifest by tag. */
    static String push(Registry registry, BuildResult image, String repository, String tag)
            throws IOException, RegistryException {
        for (String digest : List.of(image.configDigest(), image.layerDigest())) {
            if (!registry.hasBlob(repository, digest)) {
                Path file = blob(image, digest);
                registry.uploadBlob(repository, file, digest, Files.size(file));
            }
        }
        return registry.putManifest(repository, tag, MediaTypes.MANIFEST, manifest(image));
    }

    static byte[] manifest(BuildResult image) throws IOException {
        return Files.readAllBytes(blob(image, image.manifestDigest()));
    }

    static RegistryOptions options(Log log, CredentialSource... sources) {
        return new RegistryOptions(List.of(sources), Set.of(), List.of(), 3, Duration.ofMillis(10),
                Duration.ofSeconds(5), 4, log);
    }

    static RegistryOptions options(Log log, SSLContext context, CredentialSource... sources) {
        return options(log, sources).withSslContext(context);
    }

    static CredentialSource password(String user, String password) {
        return registry -> Optional.of(Credential.basic(user, password, "settings.xml server \"" + registry + "\""));
    }
}

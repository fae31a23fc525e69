package org.scratchimage.core;

import java.nio.file.Path;
import java.util.List;
import org.scratchimage.core.registry.CredentialSource;
import org.scratchimage.core.registry.ProxySettings;

/**
 * Everything one push needs, as the user configured it. Nothing here is validated yet: {@link ImagePusher} validates
 * it before it sends anything. Make one with {@link #builder()}.
 *
 * @param outputDirectory the OCI image layout that {@code scratch:build} wrote
 * @param to the references to push to, each with a tag, as the user wrote them; empty means every image of the
 *     layout under the name it was built with ({@code io.containerd.image.name})
 * @param credentials where credentials come from, in the order they are tried; none found means anonymous
 * @param insecureRegistries registries ({@code host[:port]}) that may be reached over plain HTTP or with an
 *     untrusted certificate, as the user wrote them
 * @param proxies the active HTTP proxies, at most one per protocol
 * @param parallelUploads how many blobs are uploaded at once, from 1 to 32, or {@code null} for the default (4)
 * @param imageFile {@code target/scratch-image.json}, which records what was pushed, or {@code null} to write none
 */
public record PushRequest(
        Path outputDirectory,
        List<String> to,
        List<CredentialSource> credentials,
        List<String> insecureRegistries,
        List<ProxySettings> proxies,
        Integer parallelUploads,
        Path imageFile) {

    public PushRequest {
        to = Copies.list(to);
        credentials = Copies.list(credentials);
        insecureRegistries = Copies.list(insecureRegistries);
        proxies = Copies.list(proxies);
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this request's values, to change some of them */
    public Builder toBuilder() {
        return builder().outputDirectory(outputDirectory).to(to).credentials(credentials)
                .insecureRegistries(insecureRegistries).proxies(proxies).parallelUploads(parallelUploads)
                .imageFile(imageFile);
    }

    /** Named setters for a {@link PushRequest}; what is not set stays {@code null} (lists: empty). */
    public static final class Builder {
        private Path outputDirectory;
        private List<String> to;
        private List<CredentialSource> credentials;
        private List<String> insecureRegistries;
        private List<ProxySettings> proxies;
        private Integer parallelUploads;
        private Path imageFile;

        private Builder() {}

        /** @param outputDirectory the OCI image layout to push */
        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = outputDirectory;
            return this;
        }

        /** @param to references with a tag; {@code null} or empty for the layout's own names */
        public Builder to(List<String> to) {
            this.to = to;
            return this;
        }

        /** @param credentials the credential sources, in the order they are tried */
        public Builder credentials(List<CredentialSource> credentials) {
            this.credentials = credentials;
            return this;
        }

        /** @param insecureRegistries {@code host[:port]} of registries allowed without trusted TLS */
        public Builder insecureRegistries(List<String> insecureRegistries) {
            this.insecureRegistries = insecureRegistries;
            return this;
        }

        /** @param proxies the active proxies */
        public Builder proxies(List<ProxySettings> proxies) {
            this.proxies = proxies;
            return this;
        }

        /** @param parallelUploads how many blobs are uploaded at once, from 1 to 32 */
        public Builder parallelUploads(Integer parallelUploads) {
            this.parallelUploads = parallelUploads;
            return this;
        }

        /** @param imageFile where {@code scratch-image.json} is written, or {@code null} */
        public Builder imageFile(Path imageFile) {
            this.imageFile = imageFile;
            return this;
        }

        /** @return the request; it copies the lists, so this builder can go on */
        public PushRequest build() {
            return new PushRequest(outputDirectory, to, credentials, insecureRegistries, proxies, parallelUploads,
                    imageFile);
        }
    }
}

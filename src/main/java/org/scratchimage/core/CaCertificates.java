package org.scratchimage.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.scratchimage.core.elf.Sysroot;
import org.scratchimage.core.image.ContainerConfig;
import org.scratchimage.core.image.FileStamp;
import org.scratchimage.core.image.RegularFileEntry;

/**
 * {@code <caCertificates>}: the sysroot's CA bundle, copied to its own path in the layer {@code app}, and
 * {@code SSL_CERT_FILE} pointing at it, which OpenSSL, Go, Python and curl read.
 */
final class CaCertificates {
    /** Where distributions keep the bundle, in the order they are tried: Debian and Ubuntu, Fedora and RHEL, Alpine. */
    static final List<String> BUNDLES = List.of(
            "etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt", "etc/ssl/cert.pem");
    static final String VARIABLE = "SSL_CERT_FILE";
    private static final String ELEMENT = "<caCertificates> (scratch.caCertificates)";

    private CaCertificates() {}

    /**
     * Adds the bundle to the image and returns the runtime configuration with {@code SSL_CERT_FILE} set, unless
     * {@code <environment>} sets it; with {@code <caCertificates>} off, returns {@code config} as it is.
     */
    static ContainerConfig addTo(LayerEntries collector, BuildRequest request, ContainerConfig config)
            throws InvalidConfigurationException, IOException {
        if (!request.caCertificates()) {
            return config;
        }
        Path sysroot = SharedLibraries.sysroot(request);
        for (String path : BUNDLES) {
            // As in a chroot: the sysroot's links are followed inside it, so the file found is the bundle itself.
            Path bundle = Sysroot.resolve(sysroot, ImagePaths.absolute(path));
            if (!Files.isRegularFile(bundle)) {
                continue;
            }
            if (!Files.isReadable(bundle)) {
                throw new InvalidConfigurationException(ELEMENT, "true", "copies the CA bundle " + bundle
                        + ", which the build user cannot read", "make it readable, or set <caCertificates>false"
                        + "</caCertificates>");
            }
            FileStamp stamp = FileStamp.read(bundle, false);
            collector.addGenerated(new RegularFileEntry(path, bundle, stamp.size(), LayerEntries.FILE_MODE, 0, 0,
                    "the CA bundle of <caCertificates>, from " + bundle, false, stamp), LayerOrder.DEFAULT_LAYER,
                    "the CA bundle of <caCertificates>", "remove that declaration to take the sysroot's bundle, or"
                            + " set <caCertificates>false</caCertificates> to ship your own (and set " + VARIABLE
                            + " in <environment>)");
            return withVariable(config, ImagePaths.absolute(path));
        }
        throw new InvalidConfigurationException(ELEMENT, "true", "copies the sysroot's CA bundle, but <sysroot> ("
                + sysroot + ") has none at /" + String.join(", /", BUNDLES),
                "install the ca-certificates package in the sysroot (apt-get install ca-certificates, dnf install"
                        + " ca-certificates or apk add ca-certificates), or set <caCertificates>false</caCertificates>");
    }

    private static ContainerConfig withVariable(ContainerConfig config, String bundle) {
        if (config.environment().containsKey(VARIABLE)) {
            return config;
        }
        SortedMap<String, String> environment = new TreeMap<>(config.environment());
        environment.put(VARIABLE, bundle);
        return new ContainerConfig(config.user(), config.exposedPorts(), environment, config.entrypoint(),
                config.cmd(), config.volumes(), config.workingDirectory(), config.labels(), config.stopSignal());
    }
}

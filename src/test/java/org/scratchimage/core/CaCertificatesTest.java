package org.scratchimage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scratchimage.core.PlanningFixtures.assertInvalid;
import static org.scratchimage.core.PlanningFixtures.file;
import static org.scratchimage.core.PlanningFixtures.plan;
import static org.scratchimage.core.PlanningFixtures.requestIn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scratchimage.core.image.ImagePlan;
import org.scratchimage.core.image.LayerEntry;
import org.scratchimage.core.image.RegularFileEntry;

/** Where {@code <caCertificates>} finds the sysroot's bundle, where it puts it, and {@code SSL_CERT_FILE}. */
class CaCertificatesTest {
    @TempDir
    Path dir;

    private Path sysrootWith(String... bundles) throws Exception {
        Path root = Files.createDirectories(dir.resolve("sysroot"));
        for (String bundle : bundles) {
            Path file = root.resolve(bundle);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + bundle + "\n-----END CERTIFICATE-----\n");
        }
        return root;
    }

    private static RegularFileEntry bundleOf(ImagePlan plan) {
        return plan.entries().stream().filter(e -> e instanceof RegularFileEntry).map(e -> (RegularFileEntry) e)
                .findFirst().orElseThrow();
    }

    @Test
    void theDebianBundleIsCopiedToItsOwnPathAndSslCertFilePointsAtIt() throws Exception {
        Path root = sysrootWith("etc/ssl/certs/ca-certificates.crt", "etc/pki/tls/certs/ca-bundle.crt");

        ImagePlan plan = plan(requestIn(dir).sysroot(root.toString()).caCertificates(true));

        RegularFileEntry bundle = bundleOf(plan);
        assertThat(bundle.path()).isEqualTo("etc/ssl/certs/ca-certificates.crt");
        assertThat(bundle.source()).isEqualTo(root.resolve("etc/ssl/certs/ca-certificates.crt"));
        assertThat(java.util.List.of(bundle.mode(), bundle.uid(), bundle.gid())).containsExactly(0644, 0L, 0L);
        assertThat(plan.config().environment()).containsEntry("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt");
        assertThat(plan.layers()).singleElement().extracting(l -> l.name()).isEqualTo("app");
    }

    @Test
    void otherDistributionsBundlesAreFoundInOrderAtTheirOwnPaths() throws Exception {
        Path fedora = sysrootWith("etc/pki/tls/certs/ca-bundle.crt", "etc/ssl/cert.pem");
        ImagePlan plan = plan(requestIn(dir).sysroot(fedora.toString()).caCertificates(true));
        assertThat(bundleOf(plan).path()).isEqualTo("etc/pki/tls/certs/ca-bundle.crt");
        assertThat(plan.config().environment()).containsEntry("SSL_CERT_FILE", "/etc/pki/tls/certs/ca-bundle.crt");

        Files.delete(fedora.resolve("etc/pki/tls/certs/ca-bundle.crt"));
        plan = plan(requestIn(dir).sysroot(fedora.toString()).caCertificates(true));
        assertThat(bundleOf(plan).path()).isEqualTo("etc/ssl/cert.pem");
    }

    /** Alpine's /etc/ssl/cert.pem is a link to certs/ca-certificates.crt: followed inside the sysroot, as in a chroot. */
    @Test
    void aLinkInsideTheSysrootIsFollowedThereAndTheFileItNamesIsCopied() throws Exception {
        Path root = sysrootWith("usr/share/ca/bundle.pem");
        Files.createDirectories(root.resolve("etc/ssl"));
        Files.createSymbolicLink(root.resolve("etc/ssl/cert.pem"), Path.of("/usr/share/ca/bundle.pem"));

        RegularFileEntry bundle = bundleOf(plan(requestIn(dir).sysroot(root.toString()).caCertificates(true)));

        assertThat(bundle.path()).isEqualTo("etc/ssl/cert.pem");
        assertThat(bundle.source()).isEqualTo(root.resolve("usr/share/ca/bundle.pem"));
    }

    @Test
    void anSslCertFileInTheEnvironmentWins() throws Exception {
        Path root = sysrootWith("etc/ssl/certs/ca-certificates.crt");

        ImagePlan plan = plan(requestIn(dir).sysroot(root.toString()).caCertificates(true)
                .container(ContainerSpec.builder().environment(Map.of("SSL_CERT_FILE", "/certs/mine.pem")).build()));

        assertThat(plan.config().environment()).containsEntry("SSL_CERT_FILE", "/certs/mine.pem");
    }

    @Test
    void offByDefaultNothingIsAdded() throws Exception {
        Path root = sysrootWith("etc/ssl/certs/ca-certificates.crt");

        ImagePlan plan = plan(requestIn(dir).sysroot(root.toString()));

        assertThat(plan.entries()).extracting(LayerEntry::path).containsExactly("");
        assertThat(plan.config().environment()).isEmpty();
    }

    @Test
    void aSysrootWithoutABundleFailsNamingTheCaCertificatesPackage() throws Exception {
        Path root = sysrootWith();

        InvalidConfigurationException e = assertInvalid(
                () -> plan(requestIn(dir).sysroot(root.toString()).caCertificates(true)),
                "<caCertificates> (scratch.caCertificates)", "true");

        assertThat(e.fix()).contains("ca-certificates package");
        assertThat(e.getMessage()).contains(root.toString()).contains("/etc/ssl/certs/ca-certificates.crt")
                .contains("/etc/pki/tls/certs/ca-bundle.crt").contains("/etc/ssl/cert.pem");
    }

    @Test
    void aDeclaredFileAtTheBundlesPathConflicts() throws Exception {
        Path root = sysrootWith("etc/ssl/certs/ca-certificates.crt");
        Files.writeString(dir.resolve("mine.pem"), "x\n");

        InvalidConfigurationException e = assertInvalid(() -> plan(requestIn(dir).sysroot(root.toString())
                .caCertificates(true).addFile(file("mine.pem", "/etc/ssl/certs/ca-certificates.crt"))),
                "<files>/<file>[1]/<path>", "/etc/ssl/certs/ca-certificates.crt");

        assertThat(e.getMessage()).contains("<caCertificates>");
    }
}

package org.scratchimage.maven;

import static org.apache.maven.api.plugin.testing.MojoExtension.getBasedir;
import static org.apache.maven.api.plugin.testing.MojoExtension.setVariableValueToObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.Basedir;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.PlexusContainer;
import org.codehaus.plexus.component.configurator.BasicComponentConfigurator;
import org.codehaus.plexus.component.configurator.expression.DefaultExpressionEvaluator;
import org.codehaus.plexus.configuration.xml.XmlPlexusConfiguration;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scratchimage.core.oci.LayoutSnapshot;

/**
 * Configuration mistakes that the plugin rejects before it writes anything, one row each: a valid build writes a
 * layout, then the same configuration with one value broken must fail with a MojoFailureException that names the
 * element, quotes the value and gives a fix, and leave the layout exactly as it was. These were the pure validation
 * ITs of src/it (each row keeps its IT's name); how Maven prints such a failure is still an IT (fail-version-as-tag
 * and the tree ITs).
 */
@ExtendWith(RejectedConfigurationTest.MojoOnly.class)
class RejectedConfigurationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FILE = "<file><source>app.conf</source><path>/etc/app.conf</path></file>";
    private static final String FILE_PATH = "<files><file><source>app.conf</source><path>%s</path></file></files>";
    private static final String ACCOUNT =
            "<accounts><account><name>%s</name><uid>%s</uid></account></accounts>";
    private static final String ARCHIVE = "<archive>true</archive><archiveFile>%s</archiveFile>";
    private static final String BINARY =
            "<binaries><binary><source>bin/app.sh</source><path>/bin/app</path>%s</binary></binaries>";
    /** jlink's cheapest runtime, so that each valid build links in seconds. */
    private static final String JAVA = "<java><modules>java.base</modules>";
    private static final String AMD64 = "<platform><name>linux/amd64</name></platform>";
    private static final String TWO_PLATFORMS =
            "<platforms>" + AMD64 + "<platform><name>linux/arm64</name></platform></platforms><files>" + FILE + "</files>";

    @Inject
    private PlexusContainer container;

    @TempDir
    Path temp;

    static Stream<Rejection> rejections() {
        return Stream.of(
                reject("fail-bad-compression", "<compression>%s</compression>", "gzip", "xz",
                        "<compression>", "xz", "is not a supported compression"),
                reject("fail-bad-compression-level", "<compressionLevel>%s</compressionLevel>", "9", "10",
                        "<compressionLevel>", "10", "is not a level of gzip", "from 1 to 9 (default 6)"),
                reject("fail-bad-environment-name", "<environment><PATH>/bin</PATH><%1$s>-Xmx64m</%1$s></environment>",
                        "JAVA_OPTS", "JAVA-OPTS",
                        "<environment>/<JAVA-OPTS>", "JAVA-OPTS", "is not a valid environment variable name"),
                reject("fail-bad-gid", BINARY.formatted("<gid>%s</gid>"), "1000", "4294967295",
                        "<binaries>/<binary>[1]/<gid>", "4294967295", "is not a numeric id", "4294967294"),
                reject("fail-bad-image-name", "<image>%s</image>", "team/app", "Team/App",
                        "<image>", "Team/App", "is not a valid image name", "lowercase"),
                reject("fail-bad-layer-name", BINARY.formatted("<layer>%s</layer>"), "app", "App!",
                        "<binaries>/<binary>[1]/<layer>", "App!",
                        "is not a layer name", "lowercase letters and digits", "64")
                        .validBuildLayers("app"),
                reject("fail-bad-mode", BINARY.formatted("<mode>%s</mode>"), "0750", "0789",
                        "<binaries>/<binary>[1]/<mode>", "0789", "is not an octal mode"),
                reject("fail-bad-platform", "<platform>%s</platform>", "linux/amd64", "linux/x86_64",
                        "<platform>", "linux/x86_64", "is not an OCI platform"),
                reject("fail-bad-port", "<ports><port>%s</port></ports>", "8080/tcp", "8080/http",
                        "<ports>/<port>[1]", "8080/http", "is not a port"),
                reject("fail-bad-signal", "<stopSignal>%s</stopSignal>", "SIGTERM", "SIGTERMINATE",
                        "<stopSignal>", "SIGTERMINATE", "is not a signal"),
                reject("fail-bad-tag", "<tags><tag>1.0</tag><tag>%s</tag></tags>", "latest", "-latest",
                        "<tags>/<tag>[2]", "-latest", "is not a valid tag"),
                reject("fail-bad-timestamp", "<outputTimestamp>%s</outputTimestamp>", "2024-01-01T00:00:00Z",
                        "yesterday", "<outputTimestamp> (project.build.outputTimestamp)", "yesterday",
                        "is not a timestamp"),
                reject("fail-bad-uid", BINARY.formatted("<uid>%s</uid>"), "1000", "root",
                        "<binaries>/<binary>[1]/<uid>", "root", "is not a numeric id", "names are not resolved"),
                reject("fail-directory-as-binary",
                        "<binaries><binary><source>%s</source><path>/bin/app</path></binary></binaries>",
                        "bin/app.sh", "bin",
                        "<binaries>/<binary>[1]/<source>", "bin", "is a directory", "<directory>"),
                reject("fail-directory-as-file",
                        "<files><file><source>%s</source><path>/etc/app.conf</path></file></files>",
                        "bin/app.sh", "bin",
                        "<files>/<file>[1]/<source>", "bin", "is a directory", "<directory>"),
                reject("fail-duplicate-path",
                        "<files>" + FILE + "</files>"
                                + "<symlinks><symlink><path>%s</path><target>app.conf</target></symlink></symlinks>",
                        "/etc/other.conf", "/etc/app.conf",
                        "/<path>", "/etc/app.conf",
                        "is declared twice", "<files>/<file>[1]", "<symlinks>/<symlink>[1]"),
                reject("fail-empty-library", "<files>" + FILE + "</files><libraries>%s</libraries>",
                        "", "<library></library>",
                        "<libraries>/<library>[1]", "", "is empty"),
                // The value quoted is the library alone, not the element that labels it in the resolver.
                reject("fail-library-not-found", "<files>" + FILE + "</files><libraries>%s</libraries>",
                        "<library>libc.so.6</library>", "<library>libscratch-none.so.9</library>",
                        "<libraries>/<library>[1]", "libscratch-none.so.9", "needs libscratch-none.so.9, which is in"
                                + " none of the places the loader searches"),
                reject("fail-empty-path", FILE_PATH, "/etc/app.conf", "",
                        "<files>/<file>[1]/<path>", "", "is empty"),
                reject("fail-empty-symlink-target",
                        "<symlinks><symlink><path>/bin/sh</path><target>%s</target></symlink></symlinks>",
                        "busybox", "",
                        "<symlinks>/<symlink>[1]/<target>", "", "is empty"),
                // The valid build lists config, which nothing uses: it is left out.
                reject("fail-layer-listed-twice",
                        "<layers><layer>app</layer><layer>%s</layer></layers><files>" + FILE + "</files>",
                        "config", "app",
                        "<layers>/<layer>[2]", "app", "is listed twice", "Fix: list each layer once")
                        .validBuildLayers("app"),
                // The error names the first element that uses the name, in the order binaries, files, directories,
                // symlinks. The valid build lists libraries, which nothing uses: it is left out.
                reject("fail-layer-not-listed",
                        "<layers><layer>libraries</layer><layer>config</layer></layers>"
                                + "<files><file><source>app.conf</source><path>/etc/app.conf</path>"
                                + "<layer>config</layer></file>"
                                + "<file><source>app.conf</source><path>/etc/settings.conf</path>"
                                + "<layer>%1$s</layer></file></files>"
                                + "<symlinks><symlink><path>/etc/current.conf</path><target>settings.conf</target>"
                                + "<layer>%1$s</layer></symlink></symlinks>",
                        "config", "settings",
                        "<files>/<file>[2]/<layer>", "settings",
                        "is a layer that <layers> does not list", "Fix: add <layer>settings</layer> to <layers>")
                        .saysNot("<symlinks>")
                        .validBuildLayers("config"),
                // No program to take the ELF format from, and a platform whose ELF files the plugin cannot read.
                reject("fail-libraries-without-elf-support",
                        "<platform>linux/mips64</platform><files>" + FILE + "</files><libraries>%s</libraries>",
                        "", "<library>libc.so.6</library>",
                        "<platform>", "linux/mips64", "has no ELF machine to resolve <libraries> for"),
                reject("fail-missing-source",
                        "<files><file><source>%s</source><path>/etc/app.conf</path></file></files>",
                        "app.conf", "src/main/image/missing.conf",
                        "<files>/<file>[1]/<source>", "src/main/image/missing.conf", "does not exist",
                        "relative paths resolve against the project directory ${basedir}"),
                reject("fail-path-below-file",
                        "<files>" + FILE + "<file><source>app.conf</source><path>%s</path></file></files>",
                        "/etc/app/app.conf", "/etc/app.conf/app.conf",
                        "<files>/<file>[2]/<path>", "/etc/app.conf/app.conf",
                        "is below /etc/app.conf, which <files>/<file>[1] declares as a file"),
                reject("fail-path-below-symlink",
                        "<symlinks><symlink><path>/bin</path><target>usr/bin</target></symlink></symlinks>"
                                + "<binaries><binary><source>bin/app.sh</source><path>%s</path></binary></binaries>",
                        "/usr/bin/app", "/bin/app",
                        "<binaries>/<binary>[1]/<path>", "/bin/app",
                        "is below /bin, which <symlinks>/<symlink>[1] declares as a symbolic link"),
                reject("fail-path-dot", FILE_PATH, "/etc/app.conf", "/etc/./app.conf",
                        "<files>/<file>[1]/<path>", "/etc/./app.conf", "has a \".\" segment"),
                reject("fail-path-dotdot", FILE_PATH, "/etc/app.conf", "/etc/../app.conf",
                        "<files>/<file>[1]/<path>", "/etc/../app.conf", "has a \"..\" segment"),
                reject("fail-path-double-slash", FILE_PATH, "/etc/app.conf", "/etc//app.conf",
                        "<files>/<file>[1]/<path>", "/etc//app.conf", "has an empty segment"),
                reject("fail-path-whiteout", FILE_PATH, "/etc/app.conf", "/etc/.wh.app.conf",
                        "<files>/<file>[1]/<path>", "/etc/.wh.app.conf", "has a name starting with \".wh.\""),
                reject("fail-relative-path", FILE_PATH, "/etc/app.conf", "etc/app.conf",
                        "<files>/<file>[1]/<path>", "etc/app.conf", "is not absolute"),
                reject("fail-root-as-file-path", FILE_PATH, "/etc/app.conf", "/",
                        "<files>/<file>[1]/<path>", "/", "is the image root"),
                // Maven turns any value but "true" into false for a boolean: yes built, and dropped the libraries.
                reject("fail-skip-not-a-boolean", "<skip>%s</skip>", "false", "yes",
                        "<skip>", "yes", "is not true or false", "Fix: write true or false"),
                reject("fail-resolve-libraries-not-a-boolean", BINARY.formatted("<resolveLibraries>%s</resolveLibraries>"),
                        "false", "yes",
                        "<binaries>/<binary>[1]/<resolveLibraries>", "yes", "is not true or false",
                        "Fix: write true or false"),
                reject("fail-tree-resolve-libraries-not-a-boolean",
                        "<directories><directory><source>bin</source><path>/opt/app</path>"
                                + "<resolveLibraries>%s</resolveLibraries></directory></directories>",
                        "TRUE", "1",
                        "<directories>/<directory>[1]/<resolveLibraries>", "1", "is not true or false"),
                // Maven hands over an empty element as an object whose fields are all unset, not as null.
                rejectEmpty("fail-empty-binary", "<binaries>%s</binaries>",
                        "<binary><source>bin/app.sh</source><path>/bin/app</path></binary>", "<binary/>",
                        "<binaries>/<binary>[1] is empty. Fix: give it a <source> and a <path>"),
                rejectEmpty("fail-empty-file", "<files>" + FILE + "%s</files>", "", "<file></file>",
                        "<files>/<file>[2] is empty. Fix: give it a <source> and a <path>"),
                rejectEmpty("fail-empty-directory", "<directories>%s</directories>",
                        "<directory><path>/tmp</path></directory>", "<directory> </directory>",
                        "<directories>/<directory>[1] is empty. Fix: give it at least a <path>"),
                rejectEmpty("fail-empty-symlink", "<symlinks>%s</symlinks>",
                        "<symlink><path>/bin/sh</path><target>app</target></symlink>", "<symlink/>",
                        "<symlinks>/<symlink>[1] is empty. Fix: give it a <path> and a <target>"),
                // An empty value element, by contrast, is quoted as "".
                reject("fail-empty-tag", "<tags><tag>1.0</tag><tag>%s</tag></tags>", "latest", "",
                        "<tags>/<tag>[2]", "", "is not a valid tag"),
                reject("fail-empty-port", "<ports><port>%s</port></ports>", "8080", "",
                        "<ports>/<port>[1]", "", "is not a port"),
                reject("fail-empty-layer", "<layers><layer>app</layer><layer>%s</layer></layers><files>" + FILE
                        + "</files>", "config", "", "<layers>/<layer>[2]", "", "is empty"),
                reject("fail-empty-entrypoint-program", "<entrypoint><arg>%s</arg></entrypoint>", "/bin/app", "",
                        "<entrypoint>/<arg>[1]", "", "is empty"),
                // Runtimes look a name up in the image's /etc/passwd, and refuse to start an image without one.
                reject("fail-user-name-without-passwd", "<user>%s</user>", "65534:65534", "nobody",
                        "<user>", "nobody", "holds a name, but the image has no /etc/passwd",
                        "(unable to find user nobody)", "Fix: write the numeric user id and group id", "65532:65532",
                        "or declare the name in <accounts>")
                        .saysNot("or nobody"),
                reject("fail-bad-account-name", ACCOUNT.formatted("%s", "65532"), "nonroot", "NonRoot",
                        "<accounts>/<account>[1]/<name>", "NonRoot", "is not a valid account name", "at most 32",
                        "lowercase letter or '_'"),
                reject("fail-account-uid-out-of-range", ACCOUNT.formatted("nonroot", "%s"), "65532", "2147483648",
                        "<accounts>/<account>[1]/<uid>", "2147483648", "is not an id from 0 to 2147483647"),
                reject("fail-duplicate-account-name", "<accounts><account><name>app</name><uid>1000</uid></account>"
                                + "<account><name>%s</name><uid>1001</uid></account></accounts>", "worker", "app",
                        "<accounts>/<account>[2]/<name>", "app", "is declared twice: by <accounts>/<account>[1]"),
                reject("fail-duplicate-account-uid", "<accounts><account><name>app</name><uid>1000</uid></account>"
                                + "<account><name>worker</name><uid>%s</uid></account></accounts>", "1001", "1000",
                        "<accounts>/<account>[2]/<uid>", "1000", "is declared twice", "its own <uid>"),
                reject("fail-user-not-an-account", ACCOUNT.formatted("nonroot", "65532") + "<user>%s</user>",
                        "nonroot", "nobody", "<user>", "nobody", "is not an account",
                        "the generated /etc/passwd holds root, nonroot", "<account><name>nobody</name>"),
                reject("fail-passwd-with-accounts", FILE_PATH + ACCOUNT.formatted("nonroot", "65532"),
                        "/etc/app.conf", "/etc/passwd", "<files>/<file>[1]/<path>", "/etc/passwd",
                        "is also the /etc/passwd generated from <accounts>", "or remove <accounts>"),
                reject("fail-home-is-a-file", FILE_PATH + ACCOUNT.formatted("nonroot", "65532"),
                        "/etc/app.conf", "/home/nonroot", "<files>/<file>[1]/<path>", "/home/nonroot",
                        "is also <accounts>/<account>[1]/<home> (the home of nonroot)", "another <home>"),
                reject("fail-bad-accounts-layer", ACCOUNT.formatted("nonroot", "65532")
                                + "<accountsLayer>%s</accountsLayer>", "system", "System!",
                        "<accountsLayer>", "System!", "is not a layer name"),
                reject("fail-ca-certificates-not-a-boolean", "<caCertificates>%s</caCertificates>", "false", "yes",
                        "<caCertificates> (scratch.caCertificates)", "yes", "is not true or false"),
                // The project's bin folder as a sysroot: no CA bundle in it.
                reject("fail-ca-bundle-missing", "<caCertificates>true</caCertificates><sysroot>%s</sysroot>", "/",
                        "bin", "<caCertificates> (scratch.caCertificates)", "true", "has none at"
                                + " /etc/ssl/certs/ca-certificates.crt, /etc/pki/tls/certs/ca-bundle.crt, /etc/ssl/cert.pem",
                        "Fix: install the ca-certificates package in the sysroot"),
                reject("fail-negative-user-id", "<user>%s</user>", "0:0", "0:-1",
                        "<user>", "0:-1", "starts with '-' or '+'"),
                reject("fail-realtime-signal-above-64", "<stopSignal>%s</stopSignal>", "SIGRTMIN+3", "SIGRTMIN+31",
                        "<stopSignal>", "SIGRTMIN+31", "is not a signal"),
                // ${temp} is the test's folder: the layout is ${temp}/oci, the result files go to ${temp}/target.
                reject("fail-archive-not-a-boolean", "<archive>%s</archive>", "TRUE", "yes",
                        "<archive> (scratch.archive)", "yes", "is not true or false", "Fix: write true or false"),
                reject("fail-attach-not-a-boolean", "<archive>true</archive><attach>%s</attach>", "false", "no",
                        "<attach> (scratch.attach)", "no", "is not true or false", "Fix: write true or false"),
                reject("fail-sbom-not-a-boolean", "<sbom>%s</sbom>", "false", "on",
                        "<sbom> (scratch.sbom)", "on", "is not true or false", "Fix: write true or false"),
                reject("fail-archive-in-output", ARCHIVE, "${temp}/image.tar", "${temp}/oci/image.tar",
                        "<archiveFile>", "${temp}/oci/image.tar", "is inside the output folder",
                        "Fix: write the archive outside it, such as ${project.build.directory}"),
                reject("fail-archive-is-a-directory", ARCHIVE, "${temp}/target/image.tar", "${temp}/target",
                        "<archiveFile>", "${temp}/target", "is a directory", "Fix: name the tar file itself"),
                reject("fail-archive-is-a-result-file", ARCHIVE, "${temp}/target/image.tar",
                        "${temp}/target/scratch-image.json", "<archiveFile>", "${temp}/target/scratch-image.json",
                        "is scratch-image.json, a result file"),
                reject("fail-archive-is-the-state", ARCHIVE, "${temp}/target/image.tar", "${temp}/.oci.scratch-state",
                        "<archiveFile>", "${temp}/.oci.scratch-state", "is the lock or state file"),
                reject("fail-archive-is-a-source", "<files>" + FILE + "</files>" + ARCHIVE, "${temp}/image.tar",
                        "${basedir}/app.conf", "<archiveFile>", "${basedir}/app.conf",
                        "is the source of <files>/<file>[1]", "Fix: write the archive elsewhere"),
                // Issue 14: /usr/bin/env belongs to coreutils, so the package metadata adds /etc/os-release.
                reject("fail-package-metadata-not-a-boolean", "<packageMetadata>%s</packageMetadata>", "FALSE", "on",
                        "<packageMetadata> (scratch.packageMetadata)", "on", "is not true or false",
                        "Fix: write true or false"),
                reject("fail-declared-package-metadata-path", "<files><file><source>/usr/bin/env</source>"
                                + "<path>/bin/env</path></file>" + FILE.replace("/etc/app.conf", "%s") + "</files>",
                        "/etc/app.conf", "/etc/os-release",
                        "<files>/<file>[2]/<path>", "/etc/os-release", "is also the os-release of /",
                        "Fix: set <packageMetadata>false</packageMetadata>")
                        .validBuildLayers("metadata", "app"),
                // A tree of the build folder would take scratch-image.json, with the previous image's digest.
                reject("fail-tree-holds-result-files", "<directories><directory><source>%s</source><path>/opt</path>"
                                + "<excludes><exclude>*.tar</exclude></excludes></directory></directories>", "bin",
                        "${temp}/target", "<directories>/<directory>[1]/<source>", "${temp}/target",
                        "holds the result file", "scratch-image.json", "every build would make another image",
                        "Fix: add <exclude>scratch-image.json</exclude> to its <excludes>"),
                reject("fail-archive-in-tree", "<directories><directory><source>bin</source><path>/opt</path>"
                                + "</directory></directories>" + ARCHIVE, "${temp}/image.tar",
                        "${basedir}/bin/image.tar", "<archiveFile>", "${basedir}/bin/image.tar",
                        "is inside the tree of <directories>/<directory>[1]",
                        "or add <exclude>image.tar</exclude> to the <excludes> of <directories>/<directory>[1]"),
                // Issue 16: <platforms>, without the base pom's <platform>.
                reject("fail-platforms-unknown-name", "<platforms>" + AMD64 + "<platform><name>%s</name></platform>"
                                + "</platforms><files>" + FILE + "</files>", "linux/arm64", "linux/aarch64",
                        "<platforms>/<platform>[2]/<name>", "linux/aarch64", "is not an OCI platform")
                        .multiPlatform(),
                reject("fail-platforms-listed-twice", "<platforms>" + AMD64 + "<platform><name>%s</name></platform>"
                                + "</platforms><files>" + FILE + "</files>", "linux/arm64", "linux/amd64",
                        "<platforms>/<platform>[2]/<name>", "linux/amd64", "is listed twice")
                        .multiPlatform(),
                reject("fail-platforms-name-missing", "<platforms>" + AMD64 + "%s</platforms><files>" + FILE + "</files>",
                        "<platform><name>linux/arm64</name></platform>", "<platform><sysroot>bin</sysroot></platform>",
                        "<platforms>/<platform>[2]/<name>", null, "is not set", "such as linux/amd64 or linux/arm64")
                        .multiPlatform(),
                reject("fail-platforms-sysroot-missing", "<platforms>" + AMD64 + "<platform><name>linux/arm64</name>"
                                + "<sysroot>%s</sysroot></platform></platforms><files>" + FILE + "</files>",
                        "bin", "sysroots/arm64", "<platforms>/<platform>[2]/<sysroot>", "sysroots/arm64",
                        "is not a directory", "name the root of the target's file system")
                        .multiPlatform(),
                reject("fail-platforms-with-platform", TWO_PLATFORMS + "%s", "", "<platform>linux/amd64</platform>",
                        "<platform>", "linux/amd64", "<platforms>")
                        .multiPlatform(),
                reject("fail-platforms-with-sysroot", TWO_PLATFORMS + "%s", "", "<sysroot>bin</sysroot>",
                        "<sysroot>", "bin", "<platforms>")
                        .multiPlatform(),
                // An amd64 program where the arm64 sysroot should hold an arm64 one: /bin/app resolves inside each
                // platform's sysroot, ${temp}/amd64 or ${temp}/arm64 (see elfSysroots).
                reject("fail-platforms-foreign-program", "<platforms><platform><name>linux/amd64</name>"
                                + "<sysroot>${temp}/amd64</sysroot></platform><platform><name>linux/arm64</name>"
                                + "<sysroot>%s</sysroot></platform></platforms>"
                                + "<binaries><binary><source>/bin/app</source><path>/bin/app</path></binary></binaries>",
                        "${temp}/arm64", "${temp}/amd64",
                        "<binaries>/<binary>[1]", "/bin/app", "\"/bin/app\" of linux/arm64 (<platforms>/<platform>[2])",
                        "${temp}/amd64/bin/app, ELF64 LSB x86-64, built for amd64",
                        "but <platforms>/<platform>[2]/<name> is linux/arm64")
                        .multiPlatform()
                        .before((temp, mojo) -> elfSysroots(temp)),
                // The test's folder as the arm64 sysroot: it has no /bin/app.
                reject("fail-platforms-source-not-in-sysroot", "<platforms><platform><name>linux/amd64</name>"
                                + "<sysroot>${temp}/amd64</sysroot></platform><platform><name>linux/arm64</name>"
                                + "<sysroot>%s</sysroot></platform></platforms>"
                                + "<binaries><binary><source>/bin/app</source><path>/bin/app</path></binary></binaries>",
                        "${temp}/arm64", "${temp}",
                        "<binaries>/<binary>[1]/<source>", "/bin/app",
                        "\"/bin/app\" of linux/arm64 (<platforms>/<platform>[2]) does not exist (resolved to ${temp}/bin/app)",
                        "absolute ones inside the platform's sysroot")
                        .multiPlatform()
                        .before((temp, mojo) -> elfSysroots(temp)),
                // Issue 17: <java>, on a jar project with its runtime class path (TestProjects.javaApplication).
                reject("fail-java-unknown-module", "<java><modules>%s</modules></java>", "java.base",
                        "java.base,java.sqll", "<java>/<modules>", "java.base,java.sqll",
                        "names java.sqll, which is not a module of the JDK", "java --list-modules")
                        .before(javaProject("jar", true, false)),
                reject("fail-java-bad-main-class", JAVA + "<mainClass>%s</mainClass></java>", "app.Main", "app Main",
                        "<java>/<mainClass>", "app Main", "is not a class name", "com.example.Main")
                        .before(javaProject("jar", true, false)),
                reject("fail-java-no-main-class", JAVA + "%s</java>", "<mainClass>app.Main</mainClass>", "",
                        "<java>/<mainClass>", null, "has no Main-Class in its manifest", "<mainClass>")
                        .before(javaProject("jar", false, false)),
                reject("fail-java-jdk-cannot-link", JAVA + "<jdk>%s</jdk></java>", "", "${temp}/jre",
                        "<java>/<jdk>", "${temp}/jre", "cannot link a runtime: it has no jmods/", "JEP 493",
                        "Temurin 24 or later")
                        .before(javaProject("jar", true, false))
                        .before((temp, mojo) -> Files.copy(Path.of(System.getProperty("java.home"), "release"),
                                Files.createDirectories(temp.resolve("jre")).resolve("release"))),
                reject("fail-java-empty-jvm-flag", JAVA + "<jvmFlags><jvmFlag>-Xss1m</jvmFlag><jvmFlag>%s</jvmFlag>"
                        + "</jvmFlags></java>", "-Xmx64m", " ", "<java>/<jvmFlags>/<jvmFlag>[2]", null, "is empty",
                        "one option per <jvmFlag>", "-XX:MaxRAMPercentage=75")
                        .before(javaProject("jar", true, false)),
                reject("fail-java-pom-packaging", JAVA + "%s</java>", "<mainClass>lib.A</mainClass>", "",
                        "<java>", null, "pom packaging", "<mainClass>")
                        .before(javaProject("pom", false, false)),
                reject("fail-java-with-platforms", "%s" + JAVA + "</java>", "",
                        "<platforms>" + AMD64 + "</platforms>", "<java>", null,
                        "is set together with <platforms>", "by hand")
                        .multiPlatform()
                        .before(javaProject("jar", true, false)),
                reject("fail-java-same-jar-name", JAVA + "<qualifiedJarNames>%s</qualifiedJarNames></java>", "true",
                        "false", "<java>", "org.other:lib:1.0", "has the same jar name, lib-1.0.jar, as"
                                + " org.example:lib:1.0", "<qualifiedJarNames>true</qualifiedJarNames>")
                        .before(javaProject("jar", true, true)));
    }

    private static Setup javaProject(String packaging, boolean mainClass, boolean twins) {
        return (temp, mojo) -> TestProjects.javaApplication(mojo, temp, packaging, mainClass, twins);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    @Basedir("/unit/rejected")
    @InjectMojo(goal = "build")
    void aBrokenValueFailsNamingElementValueAndFixAndLeavesTheLayoutAsItWas(Rejection rejection, BuildMojo mojo)
            throws Exception {
        Path layout = temp.resolve("oci");
        Path results = temp.resolve("target");
        String output = "<outputDirectory>" + layout + "</outputDirectory><buildDirectory>" + results
                + "</buildDirectory><archiveFile>" + results.resolve("valid-image.tar") + "</archiveFile>";
        setVariableValueToObject(mojo, "project", project());
        if (rejection.setup() != null) {
            rejection.setup().prepare(temp, mojo);
        }

        configure(mojo, output + paths(rejection.configuration(rejection.valid())));
        mojo.execute();
        Map<String, String> before = LayoutSnapshot.withAttributes(layout);
        Map<String, String> resultsBefore = LayoutSnapshot.withAttributes(results);
        List<String> layers = imageLayers(layout);
        if (rejection.validBuildLayers() != null) {
            assertThat(layers).isEqualTo(rejection.validBuildLayers());
        }

        configure(mojo, paths(rejection.configuration(rejection.broken())));
        RecordingLog log = new RecordingLog();
        mojo.setLog(log);
        Throwable thrown = catchThrowable(mojo::execute);

        // Maven prints the first line of the message on its error line, and names the type in its help link.
        String error = RecordingLog.assertUserMistake(thrown, rejection.element(),
                rejection.value() == null ? null : paths(rejection.value()),
                rejection.says().stream().map(this::paths).toList());
        for (String fragment : rejection.saysNot()) {
            assertThat(error).doesNotContain(fragment);
        }
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            assertThat(cause).isNotInstanceOf(NullPointerException.class);
        }
        // No stack trace in the build's output: nothing was logged with a throwable.
        assertThat(log.throwables).isEmpty();
        // Not a byte, mode or time changed, and no staging folder left.
        assertThat(LayoutSnapshot.withAttributes(layout)).isEqualTo(before);
        // Nor any of the result files or the archive beside it, nor the tar the broken value names.
        assertThat(LayoutSnapshot.withAttributes(results)).isEqualTo(resultsBefore);
        assertThat(temp.resolve("oci/image.tar")).doesNotExist();
        assertThat(Path.of(getBasedir(), "bin/image.tar")).doesNotExist();
    }

    /** @return {@code text} with {@code ${temp}} and {@code ${basedir}} replaced by the test's and the project's folder */
    private String paths(String text) {
        return text.replace("${temp}", temp.toString()).replace("${basedir}", getBasedir());
    }

    /**
     * Two sysroots holding {@code /bin/app}, a static ELF executable with no segments: {@code ${temp}/amd64} for
     * x86-64, {@code ${temp}/arm64} for AArch64. Only the header counts, so the test needs no program of either.
     */
    private static void elfSysroots(Path temp) throws IOException {
        for (Map.Entry<String, Integer> sysroot : Map.of("amd64", 62, "arm64", 183).entrySet()) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            header.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
            header.putShort(16, (short) 2); // e_type ET_EXEC
            header.putShort(18, sysroot.getValue().shortValue()); // e_machine
            header.putInt(20, 1); // e_version
            header.putShort(52, (short) 64); // e_ehsize
            header.putShort(54, (short) 56); // e_phentsize
            Path program = temp.resolve(sysroot.getKey() + "/bin/app");
            Files.createDirectories(program.getParent());
            Files.write(program, header.array());
            Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A project for the archive to be attached to. */
    private static MavenProject project() {
        return TestProjects.pom("mojo-rejected", "1.0");
    }

    /**
     * Sets the given elements of {@code <configuration>} on the mojo with the configurator Maven uses, leaving the
     * others as they are. The values are literal: no {@code ${...}} is evaluated.
     */
    private void configure(BuildMojo mojo, String elements) throws Exception {
        XmlPlexusConfiguration configuration = new XmlPlexusConfiguration(
                Xpp3DomBuilder.build(new StringReader("<configuration>" + elements + "</configuration>")));
        new BasicComponentConfigurator().configureComponent(
                mojo, configuration, new DefaultExpressionEvaluator(), container.getContainerRealm());
    }

    /**
     * Checks that the folder is a complete layout whose blobs match their digests, every platform's image of an image
     * index included.
     *
     * @return the layer names of its (first platform's) image, from the history, bottom first
     */
    private static List<String> imageLayers(Path layout) throws IOException {
        try (Stream<Path> top = Files.list(layout)) {
            assertThat(top.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("blobs", "index.json", "oci-layout");
        }
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode image = blob(layout, index.path("manifests").get(0));
        List<JsonNode> manifests = new ArrayList<>();
        if (image.has("manifests")) {
            for (JsonNode platform : image.path("manifests")) {
                manifests.add(blob(layout, platform));
            }
        } else {
            manifests.add(image);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode manifest : manifests) {
            JsonNode config = blob(layout, manifest.path("config"));
            for (JsonNode layer : manifest.path("layers")) {
                blob(layout, layer);
            }
            if (names.isEmpty()) {
                config.path("history").forEach(entry -> names.add(entry.path("comment").asText()));
            }
        }
        return names;
    }

    private static JsonNode blob(Path layout, JsonNode descriptor) throws IOException {
        String digest = descriptor.path("digest").asText();
        byte[] bytes = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
        assertThat("sha256:" + LayoutSnapshot.sha256(bytes)).isEqualTo(digest);
        assertThat((long) bytes.length).isEqualTo(descriptor.path("size").asLong());
        return descriptor.path("mediaType").asText().endsWith("json") ? JSON.readTree(bytes) : null;
    }

    /**
     * The harness (what {@code @MojoTest} registers), injecting the mojo only: its {@code @InjectMojo} is on the
     * method, so it would claim the row argument too, which JUnit's parameterized test provides.
     */
    static final class MojoOnly extends MojoExtension {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == BuildMojo.class && super.supportsParameter(parameter, context);
        }
    }

    private static Rejection reject(String name, String configuration, String valid, String broken, String element,
            String value, String... says) {
        return new Rejection(name, configuration, valid, broken, element, value, List.of(says), List.of(), null,
                null);
    }

    /** A case whose error is about an element as a whole, such as an empty {@code <binary/>}: no value is quoted. */
    private static Rejection rejectEmpty(String name, String configuration, String valid, String broken,
            String message) {
        String element = message.substring(0, message.indexOf(" is empty"));
        return new Rejection(name, configuration, valid, broken, element, null, List.of(message), List.of("\""),
                null, null);
    }

    /** What a case prepares before its valid build: files in the test's folder, mojo fields the base pom sets. */
    interface Setup {
        void prepare(Path temp, BuildMojo mojo) throws Exception;
    }

    /**
     * One case: {@code configuration} holds the elements to set, with {@code %s} (or {@code %1$s}) where the valid
     * build has {@code valid} and the broken one {@code broken}; the error must name {@code element}, quote
     * {@code value} (unless it is null), and hold each of {@code says} ({@code ${basedir}} is the project's folder,
     * {@code ${temp}} the test's) and none of {@code saysNot}; {@code setup}, if any, runs before the valid build.
     */
    record Rejection(String name, String configuration, String valid, String broken, String element, String value,
            List<String> says, List<String> saysNot, List<String> validBuildLayers, Setup setup) {
        String configuration(String value) {
            return configuration.formatted(value);
        }

        Rejection saysNot(String... fragments) {
            return new Rejection(name, configuration, valid, broken, element, value, says, List.of(fragments),
                    validBuildLayers, setup);
        }

        /** The layers that the valid build's image must have, by name. */
        Rejection validBuildLayers(String... names) {
            return new Rejection(name, configuration, valid, broken, element, value, says, saysNot, List.of(names),
                    setup);
        }

        /** Runs {@code next} before the valid build, after what this case already prepares. */
        Rejection before(Setup next) {
            Setup first = setup;
            return new Rejection(name, configuration, valid, broken, element, value, says, saysNot, validBuildLayers,
                    first == null ? next : (temp, mojo) -> {
                        first.prepare(temp, mojo);
                        next.prepare(temp, mojo);
                    });
        }

        /** A case of {@code <platforms>}: the base pom's {@code <platform>} unset, as in a pom without it. */
        Rejection multiPlatform() {
            return before((temp, mojo) -> setVariableValueToObject(mojo, "platform", null));
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

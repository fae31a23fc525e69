import java.nio.file.Files
import java.util.concurrent.TimeUnit
import org.scratchimage.testing.registry.RegistryServer
import org.scratchimage.testing.registry.TestPki
import org.scratchimage.testing.registry.TokenIssuer

/**
 * Helpers of the push tests (src/it/push-*): the invoker's build ran "package", which wrote target/oci; the verify
 * script then starts a real registry with the unit tests' fixtures (RegistryServer, TokenIssuer, TestPki, from
 * target/test-classes), runs "mvn scratch:push" against it as a separate Maven process with the environment and
 * settings of its case, and checks with skopeo that the registry serves exactly the layout's manifest. A script
 * loads them with
 * <pre>
 * def loader = new GroovyClassLoader(getClass().classLoader)
 * [new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
 * def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
 * </pre>
 * (testClasses is target/test-classes: the invoker runs after test-compile, which -DskipTests keeps and
 * -Dmaven.test.skip=true skips; without it, parsing this file fails on the fixtures' imports.)
 * Each Maven process runs offline on the invoker's local repository (-llr: what the invoker's settings resolved is
 * usable with any settings file), in an empty home folder with no Docker, podman or Maven user files, so that only
 * the credentials the case gives it exist. Its output goes to basedir/NAME.out.log and NAME.err.log, outside target/,
 * which the leak test searches.
 */
class PushTools {
    /** The repository every test pushes to. */
    static final String REPOSITORY = 'its/app'
    /** Variables that would give a run credentials or JVM options the case did not ask for. */
    private static final List<String> CLEARED = ['DOCKER_CONFIG', 'REGISTRY_AUTH_FILE', 'XDG_CONFIG_HOME',
                                                 'MAVEN_OPTS', 'MAVEN_DEBUG_OPTS', 'JAVA_TOOL_OPTIONS']

    final File basedir
    final File localRepository
    final Tools tools

    PushTools(File basedir, File localRepository) {
        this.basedir = basedir
        this.localRepository = localRepository
        this.tools = new Tools(basedir)
    }

    /** Whether the registry, htpasswd and skopeo are installed: without them the test fails under CI, else skips. */
    boolean toolsPresent() {
        return tools.require('start a registry and check what it serves', 'docker-registry', 'htpasswd', 'skopeo',
                'mvn')
    }

    // ---- registries

    /** A registry with Basic authentication for one user; close it in a finally. */
    RegistryServer htpasswdRegistry(String user, String password) {
        return RegistryServer.builder().htpasswd(user, password).start()
    }

    /** A key pair and certificate for 127.0.0.1, made by keytool into target/pki (truststore.p12: "changeit"). */
    TestPki pki() {
        File dir = new File(basedir, 'target/pki')
        if (!dir.isDirectory()) {
            assert dir.mkdirs()
        }
        return TestPki.create(dir.toPath())
    }

    /** A token realm for one user; close it in a finally, after the registry. */
    TokenIssuer tokenIssuer(TestPki pki, String user, String password) {
        return TokenIssuer.builder(pki).user(user, password).start()
    }

    /** A registry with Bearer tokens from the issuer. */
    RegistryServer tokenRegistry(TokenIssuer issuer) {
        return RegistryServer.builder().token(issuer).start()
    }

    /** An anonymous registry over HTTPS with the PKI's certificate. */
    RegistryServer tlsRegistry(TestPki pki) {
        return RegistryServer.builder().tls(pki).start()
    }

    /** Runs the closure with the server, and closes the server whatever happens; its log goes to build.log on failure. */
    static <T> T using(AutoCloseable server, Closure<T> body) {
        try {
            return body.call(server)
        } catch (Throwable e) {
            if (server instanceof RegistryServer) {
                println "registry ${server.host()} application log:\n${server.appLog()}"
            }
            throw e
        } finally {
            server.close()
        }
    }

    static String reference(RegistryServer registry, String tag = '1.0') {
        return "${registry.host()}/$REPOSITORY:$tag"
    }

    // ---- Maven processes

    /** Writes basedir/NAME.xml, a settings file holding the given <servers> entries (XML), and returns it. */
    File settings(String name, String servers = '') {
        File file = new File(basedir, name + '.xml')
        file.setText("<settings>\n  <servers>\n$servers\n  </servers>\n</settings>\n", 'UTF-8')
        return file
    }

    /** An empty home folder for the Maven processes: no ~/.docker, no ~/.config/containers. */
    File home() {
        File home = new File(basedir, 'home')
        new File(home, 'run').mkdirs()
        return home
    }

    /**
     * Runs mvn -B -o with the invoker's local repository, the settings file (an empty one by default), the arguments
     * and the extra environment variables (PATH, MAVEN_OPTS, DOCKER_CONFIG...), in the empty home folder.
     *
     * @return [exit:, out: stdout, err: stderr, all: both]
     */
    Map mvn(String name, List args, Map<String, String> env = [:], File settingsFile = null) {
        File settings = settingsFile ?: settings('settings-empty')
        List<String> command = ([Tools.path('mvn'), '-B', '-o', '-llr', "-Dmaven.repo.local=$localRepository.absolutePath",
                                 '-Dstyle.color=never', '-s', settings.absolutePath] + args)*.toString()
        ProcessBuilder builder = new ProcessBuilder(command).directory(basedir)
        Map<String, String> environment = builder.environment()
        CLEARED.each { environment.remove(it) }
        File home = home()
        environment.put('HOME', home.absolutePath)
        environment.put('XDG_RUNTIME_DIR', new File(home, 'run').absolutePath)
        // C1 only: these runs are short, and start faster without the optimising compiler.
        environment.put('MAVEN_OPTS', '-XX:TieredStopAtLevel=1')
        env.each { variable, value -> environment.put(variable.toString(), value.toString()) }
        if (env.containsKey('MAVEN_OPTS')) {
            environment.put('MAVEN_OPTS', '-XX:TieredStopAtLevel=1 ' + env.MAVEN_OPTS)
        }
        File out = new File(basedir, name + '.out.log')
        File err = new File(basedir, name + '.err.log')
        builder.redirectOutput(out).redirectError(err)
        long start = System.nanoTime()
        Process process = builder.start()
        process.outputStream.close()
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
            throw new AssertionError("mvn run $name did not finish within 180 s; see $out")
        }
        // Never the command line: the arguments of some runs hold a password.
        println "mvn run $name exited with ${process.exitValue()} after ${(System.nanoTime() - start).intdiv(1_000_000)} ms;" +
                " output in ${out.name} and ${err.name}"
        // Maven resets the colour at the start of its output even with -B; a line must start with its level.
        String stdout = out.getText('UTF-8').replaceAll(/\u001B\[[0-9;]*m/, '')
        String stderr = err.getText('UTF-8').replaceAll(/\u001B\[[0-9;]*m/, '')
        return [exit: process.exitValue(), out: stdout, err: stderr, all: stdout + stderr]
    }

    /** Runs scratch:push of the layout to the reference; the run must succeed and report the push. */
    Map push(String name, String reference, List args = [], Map<String, String> env = [:], File settings = null) {
        Map run = mvn(name, ['scratch:push', "-Dscratch.to=$reference"] + args, env, settings)
        assert run.exit == 0: "push $name failed:\n${run.all}"
        assert pushedLines(run.out).size() == 1: "push $name reported no push of $reference:\n${run.out}"
        assert pushedLines(run.out)[0].startsWith("[INFO] Pushed $reference: manifest ${layoutDigest()}, blobs ")
        tools.assertNoStackTrace(run.all)
        return run
    }

    /** Runs scratch:push that must fail; returns the run, for checks of its error line. */
    Map pushFails(String name, String reference, List args = [], Map<String, String> env = [:], File settings = null) {
        Map run = mvn(name, ['scratch:push', "-Dscratch.to=$reference"] + args, env, settings)
        assert run.exit != 0: "push $name succeeded, but must fail:\n${run.all}"
        assert run.out.contains('BUILD FAILURE')
        assert pushedLines(run.out).isEmpty()
        return run
    }

    static List<String> pushedLines(String out) {
        return out.readLines().findAll { it.startsWith('[INFO] Pushed ') && !it.startsWith('[INFO] Pushed the ') }
    }

    /** The lines that say a referrer of the image (its SBOM) was pushed. */
    static List<String> referrerLines(String out) {
        return out.readLines().findAll { it.startsWith('[INFO] Pushed the ') }
    }

    /** Checks the info line that says where the credentials for the registry came from. */
    static void assertCredentialsFrom(Map run, RegistryServer registry, String source) {
        List<String> lines = run.out.readLines().findAll { it.startsWith("[INFO] Registry ${registry.host()}: ") }
        String expected = "[INFO] Registry ${registry.host()}: credentials from $source"
        assert lines == [expected]: "expected the line\n$expected\nfound $lines in:\n${run.out}"
    }

    /** The one error line of scratch:push, with no stack trace in the output. */
    String errorLine(Map run) {
        tools.assertNoStackTrace(run.all)
        return tools.scratchErrorLine(run.out)
    }

    // ---- the layout and what the registry serves

    File layout() {
        return new File(basedir, 'target/oci')
    }

    /** The digest of the layout's one manifest. */
    String layoutDigest() {
        // The image; its SBOM referrer, untagged after it, is not one.
        List manifests = Tools.json(new File(layout(), 'index.json')).manifests.findAll { it.artifactType == null }
        assert manifests.size() == 1: "the layout must hold one image: $manifests"
        return manifests[0].digest
    }

    /**
     * Checks with skopeo that the registry serves the layout's manifest under the reference: inspect --raw gives
     * its exact bytes, and a copy to an OCI layout keeps its digest; the registry's storage tags it too.
     *
     * @param auth [user:, password:] for a registry that wants credentials, given to skopeo in an auth file outside
     *     the project that is deleted afterwards
     * @param pki the certificate of a TLS registry, else the registry is plain HTTP
     */
    void assertServed(RegistryServer registry, String reference, Map auth = null, TestPki pki = null) {
        String digest = layoutDigest()
        byte[] manifest = Tools.blob(layout(), digest).bytes
        String tag = reference.substring(reference.lastIndexOf(':') + 1)
        assert registry.tagDigest(REPOSITORY, tag).orElse(null) == digest
        File authDir = Files.createTempDirectory('push-it-skopeo-').toFile()
        try {
            File authFile = new File(authDir, 'auth.json')
            String entry = auth == null ? '' : "\"${registry.host()}\": {\"auth\": \"" +
                    "${auth.user}:${auth.password}".bytes.encodeBase64() + '"}'
            authFile.setText("{\"auths\": {$entry}}", 'UTF-8')
            List<String> tls = pki == null ? ['--tls-verify=false'] : ['--cert-dir', pki.certDirectory().toString()]
            Map inspect = skopeo(['inspect', '--raw', '--authfile', authFile.path] + tls + ["docker://$reference"])
            assert inspect.stdout == manifest: "the registry serves other manifest bytes for $reference:\n" +
                    new String(inspect.stdout, 'UTF-8')
            List<String> srcTls = pki == null ? ['--src-tls-verify=false']
                    : ['--src-cert-dir', pki.certDirectory().toString()]
            File copy = new File(basedir, "target/skopeo-pulled-${registry.port()}-$tag")
            Tools.deleteTree(copy)
            skopeo(['copy', '--preserve-digests', '--src-authfile', authFile.path] + srcTls
                    + ["docker://$reference", "oci:${copy.absolutePath}:$tag"])
            List copied = Tools.json(new File(copy, 'index.json')).manifests
            assert copied*.digest == [digest]: "skopeo copied $reference as ${copied*.digest}, not $digest"
        } finally {
            Tools.deleteTree(authDir)
        }
    }

    /** Runs skopeo, which must succeed; stdout kept as bytes, for an exact comparison. */
    private Map skopeo(List<String> args) {
        List<String> command = ([Tools.path('skopeo')] + args)*.toString()
        Process process = new ProcessBuilder(command).directory(basedir).start()
        process.outputStream.close()
        ByteArrayOutputStream stdout = new ByteArrayOutputStream()
        ByteArrayOutputStream stderr = new ByteArrayOutputStream()
        Thread out = Thread.start { process.inputStream.transferTo(stdout) }
        Thread err = Thread.start { process.errorStream.transferTo(stderr) }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly()
            throw new AssertionError("${command.join(' ')} did not finish within 60 s")
        }
        out.join()
        err.join()
        println "\$ ${command.join(' ')}\n${stderr.toString('UTF-8')}"
        assert process.exitValue() == 0: "${command.join(' ')} failed: ${stderr.toString('UTF-8')}"
        return [stdout: stdout.toByteArray(), stderr: stderr.toString('UTF-8')]
    }
}

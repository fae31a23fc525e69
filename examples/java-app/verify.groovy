// Not needed to build or use this example: the plugin's integration tests (`mvn install` at the repository root)
// build it as an invoker test and run this script against app/target/oci, with real OCI clients.
import groovy.json.JsonSlurper

def loader = new GroovyClassLoader(getClass().classLoader)
def tools = loader.parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
def java = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).newInstance(tools)

File oci = new File(basedir, 'app/target/oci')
Map layout = tools.checkLayout(oci)
assert layout.tags == ['1.0.0-SNAPSHOT']
assert layout.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion"
List<String> built = tools.builtLines()
assert built.size() == 1 && built[0].startsWith('[INFO] Built image java-app:1.0.0-SNAPSHOT '): "$built"

// Jib's layers, bottom to top: what changes least first. The package records sit just above the libraries they
// describe.
assert layout.layers*.name == ['libraries', 'metadata', 'jre', 'dependencies', 'snapshot-dependencies', 'app']

// The runtime: java at /opt/java, the app jar first on the class path, then every dependency in Maven's order.
Map config = layout.config.config
Map entry = java.entrypoint(config.Entrypoint as List<String>)
assert entry.mainClass == 'org.scratchimage.examples.app.Main'
assert entry.flags == []
List<String> released = ['commons-lang3-3.22.0.jar', 'jackson-databind-2.23.0.jar', 'jackson-annotations-2.23.jar',
                         'jackson-core-2.23.0.jar']
List<String> snapshots = ['greeting-1.0.0-SNAPSHOT.jar']
assert entry.classpath[0] == '/app/java-app.jar'
// Maven's order is the dependency graph's, depth first: commons-lang3, jackson-databind and its own dependencies, the
// greeting module of the reactor.
assert entry.classpath.drop(1) == (released + snapshots).collect { "/app/libs/$it".toString() }
assert config.Env.contains('JAVA_HOME=/opt/java')
assert config.Env.find { it.startsWith('PATH=') }.substring(5).split(':').contains('/opt/java/bin')

if (tools.require('list the layers', 'tar')) {
    Closure<Set> files = { String name ->
        Map listed = tools.listLayer(layout.layers.find { it.name == name }.file as File, true)
        return listed.keySet().findAll { listed[it].mode.startsWith('-') }
    }
    assert files('app') == ['app/java-app.jar'] as Set
    assert files('dependencies') == released.collect { "app/libs/$it".toString() } as Set
    assert files('snapshot-dependencies') == snapshots.collect { "app/libs/$it".toString() } as Set
    assert files('jre').every { it.startsWith('opt/java/') }
    assert files('jre').contains('opt/java/lib/server/libjvm.so')
    assert files('libraries').every { it.contains('.so') }

    Map entries = tools.listImage(layout)
    assert entries['tmp'].mode == 'drwxrwxrwt'
    // No distro, no shell: the runtime, the jars, /tmp, the loader's libraries and the package records.
    def outside = entries.keySet().findAll {
        !(it in ['.', 'opt', 'opt/java', 'app', 'app/libs', 'tmp', 'etc', 'usr', 'usr/share', 'usr/share/doc']) &&
                !it.startsWith('opt/java/') && !it.startsWith('app/') && !it.contains('lib') && !tools.isPackageRecord(it)
    }
    assert outside.isEmpty(): "unexpected entries $outside"
    assert !entries.keySet().any { it.startsWith('bin/') || it.startsWith('usr/bin/') }
}

// The compressed size, for the README: every blob of the image (config, manifest, layers), the SBOM left out.
long size = layout.manifest.layers*.size.sum() + layout.manifest.config.size +
        new File(oci, 'blobs/sha256/' + layout.manifestDigest.substring(7)).length()
println "java-app: ${String.format('%.1f', size / 1048576)} MiB compressed, layers " +
        layout.layers.collect { "${it.name} ${String.format('%.1f', (it.file as File).length() / 1048576)} MiB" }.join(', ')

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, '1.0.0-SNAPSHOT', 'bundle')
    // Each dependency had a hand in the line: greeting wrote the text, commons-lang3 shortened it, Jackson wrote
    // the JSON.
    String out = tools.runContainer(bundle, 120)
    String line = out.readLines().find { it.startsWith('{') }
    assert line == '{"greeting":"Hello, from scratch!","short":"Hello, ...","java":17}': "unexpected output:\n$out"
    assert new JsonSlurper().parseText(line).java == Runtime.version().feature()

    // The runtime holds what jdeps found in the image's own jars, plus jdk.crypto.ec and jdk.zipfs, and the
    // modules those require: no more.
    File jdk = new File(System.getProperty('java.home'))
    List<File> jars = entry.classpath.collect { new File(bundle, 'rootfs' + it) }
    SortedSet<String> found = java.jdeps(jdk, jars, Runtime.version().feature())
    assert found == ['java.base', 'java.desktop', 'java.sql'] as SortedSet: "jdeps found $found"
    SortedSet<String> expected = java.closure(jdk, found + ['jdk.crypto.ec', 'jdk.zipfs'])
    SortedSet<String> inImage = java.moduleNames(java.run(bundle, ['/opt/java/bin/java', '--list-modules']))
    assert inImage == expected
}
tools.checkWithClients(oci, '1.0.0-SNAPSHOT')
return true

// Not needed to build or use this example: the plugin's integration tests (`mvn install` at the repository root)
// build it as an invoker test and run this script against target/oci, with real OCI clients.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert layout.tags == ['1.0.0', 'latest']
assert layout.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion"
assert layout.config.config.Entrypoint == ['/opt/java/bin/java', '-jar', '/app/hello.jar']

// The layers come in the order <layers> gives, the package records just above the libraries they describe (the
// pom's <layers> leaves them out); the jar alone is in the top one.
assert layout.layers*.name == ['libraries', 'metadata', 'runtime', 'app']

if (tools.require('list the layer', 'tar')) {
    Map app = tools.listLayer(layout.layers[3].file as File, true)
    assert app.keySet() == ['.', 'app', 'app/hello.jar'] as Set: "app layer: ${app.keySet()}"
    Map libraries = tools.listLayer(layout.layers[0].file as File, true)
    assert libraries.keySet().findAll { libraries[it].mode.startsWith('-') }.every { it.contains('.so') }
    Map entries = tools.listImage(layout)
    assert entries.containsKey('opt/java/bin/java')
    assert entries.containsKey('opt/java/lib/server/libjvm.so')
    assert entries['app/hello.jar'].mode == '-rw-r--r--'
    // No distro: nothing outside the runtime, the jar, /tmp and the loader's libraries.
    // Only the package records scanners read besides.
    def outside = entries.keySet().findAll {
        !(it in ['.', 'opt', 'app', 'tmp', 'app/hello.jar']) && !it.startsWith('opt/java') && !it.contains('lib')
                && !tools.isPackageRecord(it) && !(it in ['etc', 'usr', 'usr/share', 'usr/share/doc'])
    }
    assert outside.isEmpty(): "unexpected entries $outside"
    assert !entries.keySet().any { it.startsWith('bin/') || it.startsWith('usr/bin/') }
}

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    String output = tools.runContainer(bundle, 120)
    assert output.contains('Hello from scratch! Java '): "unexpected output:\n$output"
}
tools.checkWithClients(oci, 'latest')
return true

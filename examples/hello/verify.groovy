// Not needed to build or use this example: the plugin's integration tests (`mvn install` at the repository root)
// build it as an invoker test and run this script against target/oci, with real OCI clients.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert layout.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion"

// One line says what resolution added; the image holds /bin/ls, its loader and its libraries, nothing else.
List<String> lines = new File(basedir, 'build.log').readLines()
assert lines.any { it.startsWith('[INFO] Shared libraries: ') && it.contains(' added for 1 programs') }
if (tools.require('list the layer', 'tar')) {
    // ls in the app layer, its loader and libraries in the libraries layer below it, and the records of their
    // Debian packages between them.
    assert layout.layers*.name == ['libraries', 'metadata', 'app']
    assert tools.listLayer(layout.layers[2].file as File, true).keySet() == ['.', 'bin', 'bin/ls'] as Set
    assert tools.listLayer(layout.layers[1].file as File, true).keySet().containsAll(
            ['var/lib/dpkg/status.d/coreutils', 'var/lib/dpkg/status.d/libc6'])
    Map entries = tools.listImage(layout)
    List files = entries.findAll { k, v -> v.mode.startsWith('-') }.keySet().sort()
    assert files.contains('bin/ls')
    assert files.any { it.endsWith('/libc.so.6') }: "no libc in $files"
    // Only ls, the loader and shared objects: no shell, no ld.so.cache, no package database.
    // and the package records scanners read.
    assert files.every { it == 'bin/ls' || it.contains('.so') || tools.isPackageRecord(it) }:
            "unexpected files in $files"
    assert !entries.containsKey('etc/ld.so.cache')
}

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    String listing = tools.runContainer(bundle)
    // The host's dynamically linked ls, run from scratch, lists the image root.
    assert listing =~ /(?m)^d\S+\s.*\sbin$/: "no bin directory in:\n$listing"
    assert listing =~ /(?m)^d\S+\s.*\slib64?$/
    assert listing =~ /(?m)^d\S+\s.*\sproc$/
}
tools.checkWithClients(oci, 'latest')
return true

// The README's Quick start, as a new user runs it: its pom as printed, `mvn package`, then the image runs.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

List<String> lines = new File(basedir, 'build.log').readLines()
// The lines the README shows, in its order.
List<String> shown = ['[INFO] Shared libraries: ', '[INFO] Package metadata: ', '[INFO] Layer libraries: ',
                      '[INFO] Layer metadata: ', '[INFO] Layer app: ',
                      '[INFO] Archive ', '[INFO] Built image hello:1.0 for linux/amd64 in ']
List<Integer> at = shown.collect { prefix -> lines.findIndexOf { it.startsWith(prefix) } }
assert at.every { it >= 0 } && at == at.sort(false): "expected the README's lines in its order, got:\n${lines.join('\n')}"
assert lines.find { it.startsWith('[INFO] Layer app: ') }.endsWith(', written (no previous build)')
assert lines.find { it.startsWith('[INFO] Archive ') }.contains('/target/hello-1.0-image.tar: ')
assert !lines.any { it.contains('1970-01-01') }: 'the pom sets project.build.outputTimestamp'
assert new File(basedir, 'target/hello-1.0-image.tar').isFile()

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert layout.layers*.name == ['libraries', 'metadata', 'app']
if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, '1.0', 'bundle')
    String listing = tools.runContainer(bundle)
    // ls -l / from scratch: the image's root, with the libraries' folder and nothing of a distribution.
    assert listing =~ /(?m)^d\S+\s.*\sbin$/: "no bin directory in:\n$listing"
    assert listing =~ /(?m)^d\S+\s.*\slib(64)?$/
    assert !(listing =~ /(?m)\s(home|opt|root|sbin|boot|srv)$/): "more than the image holds in:\n$listing"
}
tools.checkWithClients(oci, '1.0')
return true

// The same project and JDK give the same image: examples/java-app built here by the invoker and in
// elsewhere/deeper by this script, with the JDK running Maven, gives byte-identical layouts (jlink's runtime
// included). Then both copies again with Temurin 25 as <jdk>, a JDK without jmods/ that links from its run-time
// image (JEP 493), run as a process: the same image in both folders, whose runtime is Temurin's and runs.
def loader = new GroovyClassLoader(getClass().classLoader)
def tools = loader.parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
def java = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).newInstance(tools)
File TEMURIN = new File('/usr/lib/jvm/temurin-25-jdk-amd64')
if (!tools.require('build the project again', 'mvn')) {
    return true
}

File here = basedir
File elsewhere = new File(basedir, 'elsewhere/deeper')
Closure<List<String>> files = { File layout ->
    Map checked = tools.checkLayout(layout)
    return checked.blobs.collect { "blobs/sha256/$it".toString() } + ['index.json', 'oci-layout']
}
Closure sameLayouts = { File a, File b ->
    List<String> names = files(a)
    assert files(b) == names
    names.each { assert new File(a, it).bytes == new File(b, it).bytes: "$it differs between $a and $b" }
}

// ---- the JDK running Maven
java.mvn(elsewhere, 'elsewhere-17', localRepositoryPath)
File ociHere = new File(here, 'app/target/oci')
File ociElsewhere = new File(elsewhere, 'app/target/oci')
sameLayouts(ociHere, ociElsewhere)
Map image17 = tools.checkLayout(ociHere)
println "java-app-reproducible: JDK ${Runtime.version().feature()} image ${image17.manifestDigest}"

// ---- Temurin 25 as <jdk>
boolean haveTemurin = new File(TEMURIN, 'bin/jlink').canExecute()
if (!haveTemurin) {
    String problem = "$TEMURIN holds no jlink, needed to build with Temurin 25 as <jdk>"
    assert System.getenv('CI') != 'true': "$problem. CI=true, so this is a failure"
    tools.warn("SKIPPED CHECK: ${tools.name}: $problem; with CI=true this fails instead of skipping.")
    return true
}
assert !new File(TEMURIN, 'jmods').exists(): 'this test is about a JDK that links from its run-time image'
[here, elsewhere].each { File project ->
    File pom = new File(project, 'app/pom.xml')
    String text = pom.getText('UTF-8')
    String main = '<mainClass>org.scratchimage.examples.app.Main</mainClass>'
    assert text.contains(main)
    pom.setText(text.replace(main, "$main\n            <jdk>${TEMURIN.path}</jdk>"), 'UTF-8')
}
String logHere = java.mvn(here, 'here-25', localRepositoryPath)
java.mvn(elsewhere, 'elsewhere-25', localRepositoryPath)
sameLayouts(ociHere, ociElsewhere)
Map image25 = tools.checkLayout(ociHere)
println "java-app-reproducible: Temurin 25 image ${image25.manifestDigest}"
assert image25.layers*.name == image17.layers*.name
Closure<String> digestOf = { Map image, String layer -> image.manifest.layers[image.layers*.name.indexOf(layer)].digest }
assert digestOf(image25, 'jre') != digestOf(image17, 'jre')
// The jars do not depend on the JDK that links the runtime.
// Not app: its jar holds the pom (META-INF/maven), which this test edited to set <jdk>.
['dependencies', 'snapshot-dependencies'].each { assert digestOf(image25, it) == digestOf(image17, it): it }
assert java.layerLines(logHere).find { it[0] == 'jre' }[2] != 'reused'

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(ociHere, '1.0.0-SNAPSHOT', 'bundle-25')
    String out = tools.runContainer(bundle, 120)
    assert out.contains('{"greeting":"Hello, from scratch!","short":"Hello, ...","java":25}'): out
    // Temurin's jdeps over the image's jars chose the modules, Temurin's own java resolves them.
    List<String> classpath = java.entrypoint(image25.config.config.Entrypoint as List<String>).classpath
    SortedSet<String> found = java.jdeps(TEMURIN, classpath.collect { new File(bundle, 'rootfs' + it) }, 25)
    Set<String> expected = java.closure(TEMURIN, found + ['jdk.crypto.ec', 'jdk.zipfs'])
    assert java.moduleNames(java.run(bundle, ['/opt/java/bin/java', '--list-modules'])) == expected
}
return true

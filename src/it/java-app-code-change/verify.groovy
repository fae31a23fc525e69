// A change to the app's code rewrites only the app layer: after the invoker's build of examples/java-app, the app's
// Main.java changes and Maven builds again. The libraries, metadata, jre, dependencies and snapshot-dependencies
// layers are reused: the same digests, the very same blob files (inode and mtime), logged as reused. The new image
// runs the new code.
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.Path

def loader = new GroovyClassLoader(getClass().classLoader)
def tools = loader.parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
def java = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).newInstance(tools)
if (!tools.require('build the project again', 'mvn')) {
    return true
}

List<String> ORDER = ['libraries', 'metadata', 'jre', 'dependencies', 'snapshot-dependencies', 'app']
File oci = new File(basedir, 'app/target/oci')
Map one = tools.checkLayout(oci)
assert one.layers*.name == ORDER
assert java.layerLines(tools.buildLog())*.get(2).every { it == 'written (no previous build)' }

// Hard links to the first build's blobs keep their inodes and mtimes to compare with.
File links = new File(basedir, 'target/oci-first-links')
links.mkdirs()
Map<String, List> before = [:]
one.manifest.layers*.digest.each { String digest ->
    Path blob = tools.blob(oci, digest).toPath()
    Files.createLink(links.toPath().resolve(digest.substring(7)), blob)
    before[digest] = [Files.getAttribute(blob, 'unix:ino', LinkOption.NOFOLLOW_LINKS), Files.getLastModifiedTime(blob)]
}

// The change: one constant of the app's own code.
File main = new File(basedir, 'app/src/main/java/org/scratchimage/examples/app/Main.java')
String source = main.getText('UTF-8')
assert source.contains('NAME = "from scratch";')
main.setText(source.replace('NAME = "from scratch";', 'NAME = "from scratch, again";'), 'UTF-8')
String log = java.mvn(basedir, 'second-build', localRepositoryPath)

Map two = tools.checkLayout(oci)
assert two.layers*.name == ORDER
List<String> digestsOne = one.manifest.layers*.digest
List<String> digestsTwo = two.manifest.layers*.digest
(0..4).each { int i -> assert digestsTwo[i] == digestsOne[i]: "the ${ORDER[i]} layer changed" }
assert digestsTwo[5] != digestsOne[5]: 'the app layer did not change'
assert !tools.blob(oci, digestsOne[5]).exists(): 'the old app layer was not pruned'
(0..4).each { int i ->
    Path blob = tools.blob(oci, digestsTwo[i]).toPath()
    assert Files.getAttribute(blob, 'unix:ino', LinkOption.NOFOLLOW_LINKS) == before[digestsTwo[i]][0]:
            "the ${ORDER[i]} blob is a new file"
    assert Files.getLastModifiedTime(blob) == before[digestsTwo[i]][1]: "the ${ORDER[i]} blob was rewritten"
}
List<List<String>> logged = java.layerLines(log)
assert logged.collect { it[0] } == ORDER
assert logged.take(5).every { it[2] == 'reused' }: "$logged"
assert logged[5][2] == 'written (target/java-app-1.0.0-SNAPSHOT.jar changed)': "$logged"
assert log.readLines().find { it.startsWith('[INFO] Built image ') }.endsWith(', 5 reused')

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, '1.0.0-SNAPSHOT', 'bundle')
    String out = tools.runContainer(bundle, 120)
    assert out.contains('{"greeting":"Hello, from scratch, again!","short":"Hello, ...","java":17}'): out
}
return true

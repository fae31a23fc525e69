// Two builds writing one outputDirectory at once must both succeed and leave one complete layout equal to
// one of theirs: first the -T 2 reactor invoker ran, then two Maven processes started together, three times.
import java.util.concurrent.TimeUnit

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File shared = new File(basedir, 'target/shared-oci')

/** The layout must be exactly one module's image: its tag, and its own data in the layer. */
String owner(def tools, File layout) {
    Map checked = tools.checkLayout(layout)
    assert checked.tags.size() == 1
    String tag = checked.tags[0]
    assert tag in ['a', 'b']
    byte[] tar = tools.layerTar(checked.layer)
    String other = tag == 'a' ? 'b' : 'a'
    assert tools.contains(tar, "scratch-it-module-$tag\n")
    assert !tools.contains(tar, "scratch-it-module-$other\n"): 'the layer mixes both modules'
    return tag
}

println "concurrent-builds: after the -T 2 reactor the layout is module ${owner(tools, shared)}'s"
List<String> built = new File(basedir, 'build.log').readLines().findAll { it.contains('Built image shared:') }
assert built.size() == 2: "both modules must report a built image: $built"

if (tools.require('start two Maven processes', 'mvn')) {
    String repo = localRepositoryPath.absolutePath
    3.times { round ->
        List<Process> builds = ['a', 'b'].collect { String module ->
            new ProcessBuilder(tools.path('mvn'), '-B', '-o', '-llr', "-Dmaven.repo.local=$repo", 'package')
                    .directory(new File(basedir, module)).redirectErrorStream(true)
                    .redirectOutput(new File(basedir, "target/process-$module-${round}.log")).start()
        }
        builds.eachWithIndex { Process p, int i ->
            assert p.waitFor(240, TimeUnit.SECONDS): 'a build did not finish'
            assert p.exitValue() == 0: "build ${['a', 'b'][i]} failed; see target/process-${['a', 'b'][i]}-${round}.log"
        }
        println "concurrent-builds: round $round, the layout is module ${owner(tools, shared)}'s"
    }
    List<String> waits = new File(basedir, 'target').listFiles().findAll { it.name.startsWith('process-') }
            .collectMany { it.readLines().findAll { it.contains('Waiting for another process') } }
    println "concurrent-builds: ${waits.size()} build(s) waited for the other's lock"
}
assert new File(basedir, 'target/.shared-oci.scratch-lock').isFile()
return true

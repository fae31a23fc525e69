// Two builds of one folder by two paths (out, and alias -> out) in a -T 2 reactor: both must succeed, take turns
// on one lock file beside the real folder, and leave one complete layout holding one of their two images.
import java.nio.file.Files

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File target = new File(basedir, 'target')
assert Files.isSymbolicLink(new File(target, 'alias').toPath()): 'the alias must still be a link'
List<String> built = tools.buildLog().readLines().findAll { it.contains('Built image shared:') }
assert built.size() == 2: "both modules must report a built image: $built"

// One lock, one state, one record of the layers' files (for the SBOM) and one of the inputs, keyed on the real
// folder: alias is only another name of out. The inputs are not recorded when a source was stamped too close to the
// planning, as the files the setup just wrote may be.
List<String> beside = target.list().findAll { it.startsWith('.') }.sort()
assert beside - ['.out.scratch-inputs'] == ['.out.scratch-files', '.out.scratch-lock', '.out.scratch-state']:
        "beside the layout: $beside"

Map checked = tools.checkLayout(new File(target, 'out'))
assert checked.tags.size() == 1
String tag = checked.tags[0]
assert tag in ['a', 'b']
byte[] tar = tools.layerTar(checked.layer)
String other = tag == 'a' ? 'b' : 'a'
assert tools.contains(tar, "scratch-it-module-$tag\n")
assert !tools.contains(tar, "scratch-it-module-$other\n"): 'the layer mixes both modules'
println "concurrent-builds-alias: the layout is module ${tag}'s"
return true

// The first run builds; the second, with nothing changed, says so and leaves the layout as it was.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

List<String> lines = new File(basedir, 'build.log').readLines()
List<String> built = lines.findAll { it.startsWith('[INFO] Built image up-to-date:latest ') }
List<String> current = lines.findAll { it.startsWith('[INFO] Image up to date: up-to-date:latest ') }
assert built.size() == 1: "expected one build, got $built"
assert current.size() == 1: "expected one up-to-date run, got $current"
Map layout = tools.checkLayout(new File(basedir, 'target/oci'))
assert built[0].contains(layout.manifestDigest) && current[0].contains(layout.manifestDigest)
assert new File(basedir, 'target/.oci.scratch-state').isFile()
return true

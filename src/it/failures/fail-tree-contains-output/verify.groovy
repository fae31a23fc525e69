def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The broken build fails before it writes: no image holds the previous one, the lock or the state.
String error = tools.assertRejected('<directories>/<directory>[1]/<source>', '.')
String output = new File(basedir, 'target/oci').absolutePath
assert error.contains('holds the output folder ' + output): error
assert error.contains('.oci.scratch-lock') && error.contains('.oci.scratch-state'): error
assert error.contains('<exclude>target/oci/**</exclude>') && error.contains('<exclude>target/.oci.scratch-*</exclude>'): error
assert error.contains('move <outputDirectory>'): error

// The valid build's image holds the project, but nothing of target/.
Map layout = tools.checkLayout(tools.layoutDir())
if (tools.require('list the layer', 'tar')) {
    Set<String> paths = tools.listLayer(layout.layer, true).keySet()
    assert paths.containsAll(['proj/app.conf', 'proj/pom.xml']): paths
    assert !paths.any { it.startsWith('proj/target') }: "the valid build packed target/: $paths"
}
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert tools.builtLines().size() == 1
String treePath = new File(basedir, 'tree').toPath().toAbsolutePath().toString()

// Each link exactly once, with the target as written; nothing found through a link (no dir/back/bin/app).
Map expected = [
        '.'        : ['d', null],
        'bin'      : ['d', null],
        'bin/app'  : ['-', null],
        'dir'      : ['d', null],
        'dir/back' : ['l', '..'],
        'dir/here' : ['l', '.'],
        'dir/root' : ['l', treePath],
        'loop-a'   : ['l', 'loop-b'],
        'loop-b'   : ['l', 'loop-a'],
        'loop-self': ['l', 'loop-self'],
]
if (tools.require('list the layer', 'tar')) {
    Map entries = tools.listLayer(layout.layer, true)
    assert entries.keySet() == expected.keySet()
    expected.each { String path, List want ->
        assert entries[path].mode.startsWith(want[0]): "$path: ${entries[path].mode}"
        assert entries[path].link == want[1]: "$path: link ${entries[path].link}"
    }
}
if (tools.require('unpack the image', 'umoci')) {
    File rootfs = new File(tools.unpack(oci, '1.0', 'bundle'), 'rootfs')
    assert java.nio.file.Files.readSymbolicLink(new File(rootfs, 'loop-self').toPath()).toString() == 'loop-self'
    assert new File(rootfs, 'bin/app').getText('UTF-8') == 'echo app\n'
}
return true

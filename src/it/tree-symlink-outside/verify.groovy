def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert tools.builtLines().size() == 1

// Nothing from outside in any form: not the secret, not the locked file, not the environment, not /usr/lib.
byte[] tar = tools.layerTar(layout.layer)
assert tools.contains(tar, 'Welcome.'): 'the searches below would prove nothing'
assert !tools.contains(tar, 'TOP-SECRET-c41d')
assert !tools.contains(tar, 'LOCKED-7e2b')
assert !tools.contains(tar, 'PATH=')
// The tree's one file and its entries: a few blocks, not the megabytes behind /usr/lib or /dev/zero.
assert tar.length <= 16 * 1024: "the layer's tar has ${tar.length} bytes"

Map expected = [
        '.'          : ['d', null],
        'etc'        : ['d', null],
        'etc/environ': ['l', '/proc/self/environ'],
        'etc/locked' : ['l', new File(basedir, 'outside/locked.txt').toPath().toAbsolutePath().toString()],
        'etc/motd'   : ['-', null],
        'etc/pipe'   : ['l', '../../outside/pipe'],
        'etc/secret' : ['l', '../../outside/secret.txt'],
        'etc/zero'   : ['l', '/dev/zero'],
        'lib'        : ['l', '/usr/lib'],
]
if (tools.require('list the layer', 'tar')) {
    Map entries = tools.listLayer(layout.layer, true)
    assert entries.keySet() == expected.keySet()
    expected.each { String path, List want ->
        assert entries[path].mode.startsWith(want[0]): "$path: ${entries[path].mode}"
        assert entries[path].link == want[1]: "$path: link ${entries[path].link}"
    }
}
return true

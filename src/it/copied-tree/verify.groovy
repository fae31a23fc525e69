def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
assert layout.tags == ['1.0']
String secret = new File(basedir, 'outside/secret.txt').getText('UTF-8').trim()
String leakAbs = new File(basedir, 'outside/secret.txt').toPath().toAbsolutePath().toString()

// Nothing from outside the tree, in any form: the layer's bytes do not hold the secret.
byte[] tar = tools.layerTar(layout.layer)
assert tools.contains(tar, 'Welcome to the copied tree.'): 'the search below would prove nothing'
assert !tools.contains(tar, secret): 'the secret outside the tree leaked into the layer'

Map expected = [
        '.'                         : ['drwxr-xr-x', 0, null],
        'bin'                       : ['drwxr-xr-x', 0, null],
        'bin/helper'                : ['-rwxr-xr-x', 0, null],
        'bin/run'                   : ['l', 0, 'tool.sh'],
        'bin/tool.sh'               : ['-rwxr-xr-x', 0, null],
        'etc'                       : ['drwxr-xr-x', 0, null],
        'etc/app.conf'              : ['-rw-r-----', 1000, null],
        'etc/dangling'              : ['l', 0, 'does-not-exist'],
        'etc/leak'                  : ['l', 0, '../../outside/secret.txt'],
        'etc/leak-abs'              : ['l', 0, leakAbs],
        'etc/motd'                  : ['-rw-r--r--', 0, null],
        'etc/private.conf'          : ['-rw-r--r--', 0, null],
        'lib'                       : ['l', 0, '../outside'],
        'share'                     : ['drwxr-xr-x', 0, null],
        'share/doc'                 : ['drwxr-xr-x', 0, null],
        'share/doc/README'          : ['l', 0, 'readme.txt'],
        // holds only an excluded file: the directory itself is still selected by **
        'share/doc/deep'            : ['drwxr-xr-x', 0, null],
        'share/doc/readme.txt'      : ['-rw-r--r--', 0, null],
        'share/private-dir'         : ['drwxr-xr-x', 0, null],
        'share/private-dir/data.txt': ['-rw-r--r--', 0, null],
        'tmp'                       : ['drwxrwxrwt', 0, null],
        'var'                       : ['drwxr-xr-x', 0, null],
        'var/lib'                   : ['drwxr-xr-x', 0, null],
        'var/lib/empty'             : ['drwxr-xr-x', 0, null],
]

if (tools.require('list the layer', 'tar')) {
    Map entries = tools.listLayer(layout.layer, true)
    assert entries.keySet() == expected.keySet()
    expected.each { String path, List want ->
        Map got = entries[path]
        assert got.mode.startsWith(want[0]): "$path: ${got.mode}, expected ${want[0]}"
        assert got.uid == 0 && got.gid == want[1]: "$path: owner ${got.uid}:${got.gid}"
        assert got.link == want[2]: "$path: link ${got.link}"
        assert got.time == '2024-01-01 00:00:00': "$path: mtime ${got.time}"
    }
    assert entries['etc/motd'].size == new File(basedir, 'rootfs/etc/motd').length()
}

if (tools.require('unpack the image', 'umoci')) {
    File rootfs = new File(tools.unpack(oci, '1.0', 'bundle'), 'rootfs')
    // What a runtime sees once the layer is applied.
    expected.each { String path, List want ->
        File file = new File(rootfs, path)
        if (want[0] == 'l') {
            assert java.nio.file.Files.isSymbolicLink(file.toPath()): "$path is not a link in the rootfs"
            assert java.nio.file.Files.readSymbolicLink(file.toPath()).toString() == want[2]
        } else {
            int mode = tools.mode(file)
            String rwx = java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(file.toPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS))
            assert want[0].endsWith(rwx) || path == 'tmp': "$path has mode $rwx in the rootfs"
            assert tools.owner(file) == [uid: 0, gid: want[1]]: "$path is owned by ${tools.owner(file)}"
        }
    }
    assert tools.mode(new File(rootfs, 'tmp')) == 01777
    assert tools.mode(new File(rootfs, 'etc/app.conf')) == 0640
    assert tools.mode(new File(rootfs, 'bin/tool.sh')) == 0755
    assert tools.mode(new File(rootfs, 'etc/private.conf')) == 0644
    assert new File(rootfs, 'etc/app.conf').getText('UTF-8') == 'listen=8080\n'
    assert new File(rootfs, 'bin/tool.sh').bytes == new File(basedir, 'rootfs/bin/tool.sh').bytes
    assert !new File(rootfs, 'outside').exists()
    assert !new File(rootfs, 'etc/old.bak').exists()
    assert new File(rootfs, 'share/doc/deep').list() == [] as String[]
}
tools.checkWithClients(oci, '1.0')
return true

import java.nio.file.Files
import java.time.Instant

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Pinned after the image passed every check below (umoci unpack, skopeo copy, oci-image-tool validate, tar).
// The diff_id and the uncompressed image's digest depend only on the inputs, the configuration and the
// plugin version (the config's history names it, with the layer's name as its comment since layers came). The gzip digest is stable for a given zlib: a system whose
// Deflater comes from another zlib (zlib-ng, hardware deflate) may compress to other bytes.
String PINNED_VERSION = '0.1.0-SNAPSHOT'
String GOLDEN_DIFF_ID = 'sha256:cc314b3e7f28b1098632fc65550162a063ec7f3124654e7d13347aaec0e587de'
String GOLDEN_MANIFEST_NONE = 'sha256:07e8acb2ae5cb8a74342a05006ddaded197a98e12ae5928d6d036f0f49dc2f6f'
String GOLDEN_MANIFEST_GZIP = 'sha256:1ad5f79c8c9318eb0992a0d2897af77849e569e90a6f6d80ea23685ab31f8ed1'

File ociA = new File(basedir, 'target/oci-a-gzip')
File ociB = new File(basedir, 'target/oci-b-gzip')
File ociNone = new File(basedir, 'target/oci-b-none')
Map a = tools.checkLayout(ociA)
Map b = tools.checkLayout(ociB)
Map none = tools.checkLayout(ociNone)

// Same bytes, file for file, from inputs that differ in host modes, mtimes, creation order and location.
List<String> files = a.blobs.collect { "blobs/sha256/$it" } + ['index.json', 'oci-layout']
assert tools.names(new File(ociB, 'blobs/sha256')) == a.blobs
files.each { assert new File(ociA, it).bytes == new File(ociB, it).bytes: "$it differs between the two builds" }
assert a.manifestDigest == b.manifestDigest

// The uncompressed layer is the very tar that the gzip layer holds.
assert a.layerMediaType == 'application/vnd.oci.image.layer.v1.tar+gzip'
assert none.layerMediaType == 'application/vnd.oci.image.layer.v1.tar'
assert none.layer.bytes == tools.layerTar(a.layer)
assert none.diffId == a.diffId
assert none.manifestDigest != a.manifestDigest

List<String> built = tools.builtLines()
assert built.size() == 3
assert built[0].contains(a.manifestDigest) && built[1].contains(a.manifestDigest)
assert built[2].contains(none.manifestDigest)

long created = Instant.parse('2024-05-01T12:00:00Z').epochSecond
File content = new File(basedir, 'content')
Map<String, List> expected = [
        '.'                           : ['drwxr-xr-x', null],
        'bin'                         : ['drwxr-xr-x', null],
        'bin/hello'                   : ['-rwxr-xr-x', new File(basedir, 'a/hello.sh')],
        'bin/hi'                      : ['l', null],
        'etc'                         : ['drwxr-xr-x', null],
        'etc/greeting'                : ['-rw-r--r--', new File(content, 'greeting.txt')],
        'usr'                         : ['drwxr-xr-x', null],
        'usr/share'                   : ['drwxr-xr-x', null],
        'usr/share/repro'             : ['drwxr-xr-x', null],
        'usr/share/repro/a.txt'       : ['-rw-r--r--', new File(content, 'tree/a.txt')],
        'usr/share/repro/sub'         : ['drwxr-xr-x', null],
        'usr/share/repro/sub/b.txt'   : ['-rw-r--r--', new File(content, 'tree/sub/b.txt')],
        'usr/share/repro/sub/deeper'  : ['drwxr-xr-x', null],
        'usr/share/repro/sub/deeper/c.txt': ['-rw-r--r--', new File(content, 'tree/sub/deeper/c.txt')],
]
if (tools.require('list the layer', 'tar')) {
    Map entries = tools.listLayer(none.layer, false)
    assert entries.keySet() == expected.keySet()
    expected.each { String path, List want ->
        assert entries[path].mode.startsWith(want[0]): "$path: ${entries[path].mode}"
        assert entries[path].time == '2024-05-01 12:00:00'
        assert entries[path].uid == 0 && entries[path].gid == 0
    }
    assert entries['bin/hi'].link == 'hello'
}

[[ociA, 'gzip'], [ociNone, 'none']].each { File oci, String kind ->
    if (tools.require('unpack the image', 'umoci')) {
        File rootfs = new File(tools.unpack(oci, '1.0', "bundle-$kind"), 'rootfs')
        expected.each { String path, List want ->
            File file = new File(rootfs, path)
            if (want[1] != null) {
                assert file.bytes == (want[1] as File).bytes: "$path has other content than its source"
                assert tools.mode(file) == (want[0] == '-rwxr-xr-x' ? 0755 : 0644)
                assert Files.getLastModifiedTime(file.toPath()).toInstant().epochSecond == created
            } else if (want[0] == 'l') {
                assert Files.readSymbolicLink(file.toPath()).toString() == 'hello'
            } else {
                assert file.isDirectory() && tools.mode(file) == 0755: "$path"
            }
        }
    }
    tools.checkWithClients(oci, '1.0')
}

// Only now, with the image checked by real clients, compare with the pinned digests.
assert a.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$PINNED_VERSION":
        'the plugin version is part of the image config, so the pinned digests below change with it:' +
        ' re-pin them once the checks above pass, and update PINNED_VERSION'
assert a.config.history*.comment == ['app']
assert a.diffId == GOLDEN_DIFF_ID
assert none.manifestDigest == GOLDEN_MANIFEST_NONE
assert a.manifestDigest == GOLDEN_MANIFEST_GZIP
return true

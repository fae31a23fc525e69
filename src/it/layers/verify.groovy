// Four layers in the order <layers> gives, each holding exactly its own entries plus the root and their parents,
// checked with tools that share no code with the plugin: gzip and sha256sum for the diff_ids, GNU tar for the
// contents, ldd for the libraries, umoci and runc to run the result, skopeo and oci-image-tool.
import java.nio.file.Files

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
List<String> ORDER = ['libraries', 'data', 'config', 'app']

// ---- the layout: every blob referenced, each with the size and digest its descriptor gives, nothing else
Map layout = tools.checkLayout(oci)
assert layout.tags == ['1.0']
String manifestDigest = layout.manifestDigest
Map manifest = layout.manifest
Map config = layout.config
List<File> layers = layout.layers*.file

// ---- one layer per name, in the order of <layers>; the config says which is which, in the same order
assert manifest.layers.size() == ORDER.size()
manifest.layers.each { assert it.mediaType == 'application/vnd.oci.image.layer.v1.tar+gzip' }
assert config.rootfs.type == 'layers'
assert config.history.size() == ORDER.size(): "one history entry per layer: ${config.history}"
assert config.history.collect { it.comment } == ORDER
config.history.each { Map h ->
    assert h.keySet() == ['created', 'created_by', 'comment'] as Set: "history entry $h"
    assert h.created == '2024-01-01T00:00:00Z'
    assert h.created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion"
}
// diff_id = sha256 of the uncompressed tar, here with the system's gzip and sha256sum
List<String> diffIds = layers.collect { File layer ->
    String out = tools.run(['sh', '-c', 'gzip -dc < "$1" | sha256sum', 'sh', layer.absolutePath])
    'sha256:' + out.trim().split(/\s+/)[0]
}
assert config.rootfs.diff_ids == diffIds
assert diffIds.toSet().size() == ORDER.size()

// ---- the build says what it wrote, one line per layer, in order
List<String> layerLines = tools.buildLog().readLines().findAll { it.startsWith('[INFO] Layer ') }
assert layerLines.size() == ORDER.size(): "expected one info line per layer: $layerLines"
List<String> built = tools.builtLines()
assert built.size() == 1 && built[0].startsWith('[INFO] Built image layers:1.0 ') && built[0].contains(manifestDigest)

// ---- each layer with GNU tar: exactly its own entries, the root and their parents, all with the image's metadata
String hostLs = '/bin/ls'
if (tools.require('list the layers', 'tar')) {
    Map<String, Map<String, Map>> listed = [:]
    ORDER.eachWithIndex { String name, int i -> listed[name] = tools.listLayer(layers[i], true) }
    Map<String, Set<String>> expected = [
            data  : ['.', 'srv', 'srv/data', 'srv/data/readme.txt', 'srv/data/empty', 'srv/data/sub',
                     'srv/data/sub/numbers.bin', 'srv/data/sub/readme', 'srv/data/sub/deeper',
                     'srv/data/sub/deeper/notes.txt'] as Set,
            config: ['.', 'etc', 'etc/app', 'etc/app/app.conf', 'etc/app/current.conf'] as Set,
            app   : ['.', 'bin', 'bin/ls', 'bin/dir'] as Set,
    ]
    expected.each { String name, Set<String> paths ->
        assert listed[name].keySet() == paths: "layer $name holds ${listed[name].keySet()}, expected $paths"
    }
    assert listed.config['etc/app/current.conf'].link == 'app.conf'
    assert listed.app['bin/dir'].link == 'ls'
    assert listed.data['srv/data/sub/readme'].link == '../readme.txt'
    assert listed.config['etc/app/app.conf'].mode == '-rw-r--r--'
    assert listed.app['bin/ls'].mode == '-rwxr-xr-x'
    assert listed.app['bin/ls'].size == new File(hostLs).length()
    assert listed.data['srv/data/sub/numbers.bin'].size == 3000

    // The libraries: what ldd says /bin/ls loads, its interpreter included, and nothing but shared objects.
    Map<String, Map> libraries = listed.libraries
    if (tools.require('list the libraries of /bin/ls', 'ldd')) {
        List<String> ldd = tools.run(['ldd', hostLs]).readLines()*.trim()
                .findAll { it && !it.startsWith('linux-vdso') }
        String interpreter = ldd.find { it.startsWith('/') }.split(/\s+/)[0]
        List<String> sonames = ldd.findAll { it.contains(' => ') }.collect { it.split(/\s+/)[0] }
        assert sonames.contains('libc.so.6')
        assert libraries.containsKey(interpreter.substring(1)): "no $interpreter in ${libraries.keySet()}"
        assert !libraries[interpreter.substring(1)].mode.startsWith('d')
        sonames.each { String soname ->
            assert libraries.keySet().any { it.tokenize('/').last() == soname }: "no $soname in ${libraries.keySet()}"
        }
        // Every file is one of them (links to them may be added for other paths).
        Set<String> loaded = (sonames + [interpreter.tokenize('/').last()]) as Set
        libraries.findAll { path, entry -> entry.mode.startsWith('-') }.each { String path, Map entry ->
            assert loaded.contains(path.tokenize('/').last()): "$path in the libraries layer: ldd names $loaded"
        }
    }
    libraries.each { String path, Map entry ->
        assert entry.mode.startsWith('d') || path.tokenize('/').last().contains('.so'): \
                "$path in the libraries layer is not a shared object"
    }
    assert libraries.keySet().any { it.tokenize('/').last().startsWith('ld-linux') }

    listed.each { String name, Map<String, Map> entries ->
        entries.each { String path, Map entry ->
            // every parent is in the layer itself, so that the layer unpacks on its own
            if (path != '.') {
                String parent = path.contains('/') ? path.substring(0, path.lastIndexOf('/')) : '.'
                assert entries[parent]?.mode?.startsWith('d'): "$name holds $path without its parent $parent"
            }
            assert entry.uid == 0 && entry.gid == 0: "$name: $path is owned by ${entry.uid}:${entry.gid}"
            assert entry.time == '2024-01-01 00:00:00': "$name: $path has mtime ${entry.time}"
        }
    }
    // Only directories are in more than one layer, and then with the same metadata everywhere (listImage checks).
    Map<String, Map> merged = tools.listImage(layout)
    assert merged.keySet() == listed.values()*.keySet().sum() as Set
    Map<String, List<String>> layersOf = [:].withDefault { [] }
    listed.each { String name, Map<String, Map> entries -> entries.keySet().each { layersOf[it] << name } }
    assert layersOf['.'] == ORDER

    // The info lines count the entries of each layer and name its blob.
    ORDER.eachWithIndex { String name, int i ->
        String line = layerLines[i]
        def m = line =~ /^\[INFO\] Layer ([a-z0-9._-]+): (\d+) entries, ([^,]+), (sha256:[a-f0-9]{64}), (\w+.*)$/
        assert m.matches(): "unexpected layer line: $line"
        assert m.group(1) == name && (m.group(2) as int) == listed[name].size(): line
        assert m.group(4) == manifest.layers[i].digest && m.group(5) == 'written (no previous build)': line
    }
}

// ---- what a runtime sees once the layers are applied in order
if (tools.require('unpack and run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, '1.0', 'bundle')
    File rootfs = new File(bundle, 'rootfs')
    assert new File(rootfs, 'bin/ls').bytes == new File(hostLs).bytes
    assert new File(rootfs, 'etc/app/app.conf').getText('UTF-8') == 'listen=8080\n'
    assert Files.readSymbolicLink(new File(rootfs, 'etc/app/current.conf').toPath()).toString() == 'app.conf'
    assert Files.readSymbolicLink(new File(rootfs, 'bin/dir').toPath()).toString() == 'ls'
    ['readme.txt', 'sub/numbers.bin', 'sub/deeper/notes.txt'].each {
        assert new File(rootfs, "srv/data/$it").bytes == new File(basedir, "data/$it").bytes: it
    }
    assert new File(rootfs, 'srv/data/empty').list() == [] as String[]
    assert tools.mode(new File(rootfs, 'srv/data/sub')) == 0755

    // ls from the app layer, through the link of the app layer, loaded by the libraries layer, lists the others.
    String out = tools.runContainer(bundle)
    assert out =~ /(?m)^-rw-r--r-- +1 0 +0 +12 .* app\.conf$/: out
    assert out =~ /(?m)^l\S+ +1 0 +0 +\d+ .* current\.conf -> app\.conf$/: out
    assert out =~ /(?m)^-rw-r--r-- +1 0 +0 +3000 .* numbers\.bin$/: out
    assert out =~ /(?m)^l\S+ +1 0 +0 +\d+ .* readme -> \.\.\/readme\.txt$/: out
    assert out =~ /(?m)^-rw-r--r-- +1 0 +0 +11 .* notes\.txt$/: out
    assert out =~ /(?m)^d\S+ +2 0 +0 .* empty$/: out
}

// ---- skopeo sees the same layers in the same order, and the config's history
if (tools.require('inspect the image with skopeo', 'skopeo')) {
    Map inspected = tools.skopeoInspect(oci, '1.0')
    assert inspected.Layers == manifest.layers.collect { it.digest }
    assert inspected.Digest == manifestDigest
    Map inspectedConfig = tools.skopeoInspect(oci, '1.0', true)
    assert inspectedConfig.history.collect { it.comment } == ORDER
    assert inspectedConfig.rootfs.diff_ids == diffIds
}
tools.checkWithClients(oci, '1.0')
return true

// After a change to one file of the app layer, the rebuild reuses the libraries and config layers: same digests,
// the very same blob files (inode and mtime), logged as reused, and skopeo, copying the second image where the
// first one already is, sends only the app layer. The same inputs built from nothing give the same image.
import java.nio.file.Files
import java.nio.file.LinkOption

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The default order: libraries at the bottom, the named layers (config) in order of first use, app on top.
List<String> ORDER = ['libraries', 'config', 'app']
File oci = new File(basedir, 'target/oci')
File first = new File(basedir, 'target/oci-first')
File firstLinks = new File(basedir, 'target/oci-first-links')
File fresh = new File(basedir, 'target/oci-fresh')

/** The one image of a layout, checked by Tools (every blob referenced, sizes, digests, diff_ids): its layers. */
Closure<Map> image = { File layout ->
    Map checked = tools.checkLayout(layout)
    assert checked.layers*.name == ORDER
    assert checked.layerMediaType == 'application/vnd.oci.image.layer.v1.tar+gzip'
    return checked + [layers: checked.layers*.file, digests: checked.manifest.layers*.digest]
}

Map one = image(first)
Map two = image(oci)
Map three = image(fresh)

// ---- only the app layer changed
assert one.digests[0] == two.digests[0]: 'the libraries layer changed'
assert one.digests[1] == two.digests[1]: 'the config layer changed'
assert one.digests[2] != two.digests[2]: 'the app layer did not change'
assert one.config.rootfs.diff_ids[0] == two.config.rootfs.diff_ids[0]
assert one.config.rootfs.diff_ids[1] == two.config.rootfs.diff_ids[1]
assert tools.contains(tools.layerTar(two.layers[2]), 'version two')
assert tools.contains(tools.layerTar(one.layers[2]), 'version one')
assert !tools.blob(oci, one.digests[2] as String).exists(): 'the old app layer was not pruned'

// ---- the reused blobs are the files the first build wrote: same inode, same mtime, not rewritten
[0, 1].each { int i ->
    String name = ORDER[i]
    File now = two.layers[i]
    File linked = tools.blob(firstLinks, one.digests[i] as String)
    File copied = tools.blob(first, one.digests[i] as String)
    Object inodeNow = Files.getAttribute(now.toPath(), 'unix:ino', LinkOption.NOFOLLOW_LINKS)
    Object inodeBefore = Files.getAttribute(linked.toPath(), 'unix:ino', LinkOption.NOFOLLOW_LINKS)
    assert inodeNow == inodeBefore: "the $name blob is a new file (inode $inodeBefore, now $inodeNow)"
    assert Files.getLastModifiedTime(now.toPath()) == Files.getLastModifiedTime(copied.toPath()): \
            "the $name blob was rewritten"
}
// and the rewritten app blob is not: the check above can fail
assert Files.getAttribute(two.layers[2].toPath(), 'unix:ino') !=
        Files.getAttribute(tools.blob(firstLinks, one.digests[2] as String).toPath(), 'unix:ino')

// ---- the log: all written, then libraries and config reused, then all written again into the new folder
// A written layer says why, one reason: no previous build, or the source that changed.
def layerLine = ~/^\[INFO\] Layer ([a-z0-9._-]+): (\d+) entries, ([^,]+), (sha256:[a-f0-9]{64}), (written \(.+\)|reused)$/
List<List<String>> logged = tools.buildLog().readLines().findAll { it.startsWith('[INFO] Layer ') }.collect {
    def m = layerLine.matcher(it)
    assert m.matches(): "unexpected layer line: $it"
    [m.group(1), m.group(4), m.group(5)]
}
assert logged == [
        ['libraries', one.digests[0], 'written (no previous build)'],
        ['config', one.digests[1], 'written (no previous build)'],
        ['app', one.digests[2], 'written (no previous build)'],
        ['libraries', two.digests[0], 'reused'], ['config', two.digests[1], 'reused'],
        ['app', two.digests[2], 'written (version.txt changed)'],
        ['libraries', three.digests[0], 'written (no previous build)'],
        ['config', three.digests[1], 'written (no previous build)'],
        ['app', three.digests[2], 'written (no previous build)'],
]
List<String> built = tools.builtLines()
assert built.size() == 3: "expected three builds, none up to date: $built"
assert built[0].contains(one.manifestDigest as String) && built[0].endsWith(', 0 reused')
assert built[1].contains(two.manifestDigest as String) && built[1].endsWith(', 2 reused')
assert built[2].contains(three.manifestDigest as String) && built[2].endsWith(', 0 reused')

// ---- reused or written, the same inputs give the same bytes
assert three.manifestDigest == two.manifestDigest
two.layers.eachWithIndex { File layer, int i -> assert layer.bytes == three.layers[i].bytes: "layer ${ORDER[i]}" }
assert new File(oci, 'index.json').bytes == new File(fresh, 'index.json').bytes

// ---- a registry that holds the first image receives only the app layer of the second
if (tools.require('copy the images with skopeo', 'skopeo')) {
    File registry = new File(basedir, 'target/registry')
    tools.deleteTree(registry)
    String skopeo = tools.path('skopeo')
    tools.run([skopeo, '--insecure-policy', 'copy', '--preserve-digests', "oci:${first.absolutePath}:latest",
               "oci:${registry.absolutePath}:latest"])
    Map inodes = [0, 1].collectEntries { int i ->
        [(i): Files.getAttribute(tools.blob(registry, one.digests[i] as String).toPath(), 'unix:ino')]
    }
    // --debug: without a terminal skopeo prints "Copying blob" for every layer, sent or not; its debug log says
    // which it skipped.
    String out = tools.run([skopeo, '--debug', '--insecure-policy', 'copy', '--preserve-digests',
                            "oci:${oci.absolutePath}:latest", "oci:${registry.absolutePath}:latest"])
    List<String> skipped = (out =~ /Skipping blob (sha256:[a-f0-9]{64}) \(already present\)/).collect { it[1] }
    assert skipped == [two.digests[0], two.digests[1]]: "skopeo skipped $skipped:\n$out"
    assert out.contains("Copying blob ${two.digests[2]}"): out
    [0, 1].each { int i ->
        assert Files.getAttribute(tools.blob(registry, two.digests[i] as String).toPath(), 'unix:ino') == inodes[i]
    }
    assert tools.skopeoInspect(registry, 'latest').Layers == two.digests
}

// ---- the rebuilt image runs: the reused libraries load the ls of the new app layer
if (tools.require('unpack and run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    assert new File(bundle, 'rootfs/srv/app/version.txt').getText('UTF-8') == 'version two\n'
    String out = tools.runContainer(bundle)
    assert out =~ /(?m)^-rw-r--r-- +1 0 +0 +12 .* \/srv\/app\/version\.txt$/: out
    assert out =~ /(?m)^-rw-r--r-- +1 0 +0 +12 .* \/etc\/app\.conf$/: out
}
tools.checkWithClients(oci, 'latest')
return true

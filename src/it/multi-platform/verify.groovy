import groovy.json.JsonOutput
import groovy.json.JsonSlurper

// One tag holding an amd64 and an arm64 image, each from its own sysroot, checked with real clients: skopeo picks
// each platform from the index, umoci unpacks it, runc runs it (arm64 through qemu-user-static).
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
File sysroot = tools.arm64Sysroot()
File ociA = new File(basedir, 'target/oci-a')
File ociB = new File(basedir, 'target/oci-b')

// ---- the layout: one image index under the tag, one manifest per platform in declared order, one SBOM each
Map a = tools.checkIndexLayout(ociA)
assert a.tags == ['1.0']
assert a.images*.platform == ['linux/amd64', 'linux/arm64']
Map entry = a.index.manifests[0] as Map
assert entry.annotations == ['io.containerd.image.name': 'multi:1.0', 'org.opencontainers.image.ref.name': '1.0']
assert a.imageIndex.annotations == ['org.opencontainers.image.created': '2024-05-01T12:00:00Z']
assert a.referrers.size() == 2: 'one SBOM per platform'
a.referrers.each { assert it.manifest.artifactType == 'application/spdx+json' }
Map amd64 = a.images[0] as Map
Map arm64 = a.images[1] as Map
assert amd64.config.architecture == 'amd64' && arm64.config.architecture == 'arm64'
[amd64, arm64].each { Map image ->
    assert image.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion"
    assert image.config.config.Entrypoint == ['/bin/busybox'] && image.config.config.Cmd == ['uname', '-m']
}

// The project file's layer has the same bytes on both platforms: one descriptor, one blob. The programs differ.
Closure layer = { Map image, String name ->
    int i = image.layers*.name.indexOf(name)
    assert i >= 0: "no layer $name in ${image.layers*.name}"
    return image.manifest.layers[i] as Map
}
assert layer(amd64, 'config') == layer(arm64, 'config')
assert layer(amd64, 'app').digest != layer(arm64, 'app').digest
assert layer(amd64, 'libraries').digest != layer(arm64, 'libraries').digest
List<String> referenced = [a.indexDigest] + a.images.collectMany { Map image ->
    [image.manifestDigest, image.manifest.config.digest] + image.manifest.layers*.digest
} + a.referrers.collectMany { Map r -> [r.digest, r.manifest.config.digest] + r.manifest.layers*.digest }
assert a.blobs.size() == referenced.unique(false).size()
assert referenced.size() - referenced.unique(false).size() >= 2: 'the shared layer and the empty config, each once'

// Each platform's programs are its own: the arm64 image holds the sysroot's busybox and ls, and the arm64 loader.
if (tools.require('list the layers', 'tar')) {
    Map amdFiles = tools.listImage([layers: amd64.layers])
    Map armFiles = tools.listImage([layers: arm64.layers])
    assert armFiles.containsKey('lib/ld-linux-aarch64.so.1'): "no arm64 loader in ${armFiles.keySet()}"
    assert !armFiles.keySet().any { it.contains('x86_64') }: "amd64 files in the arm64 image: ${armFiles.keySet()}"
    assert amdFiles.keySet().any { it.endsWith('ld-linux-x86-64.so.2') }
    assert !amdFiles.keySet().any { it.contains('aarch64') }
    assert armFiles['bin/busybox'].size == new File(sysroot, 'bin/busybox').length()
    assert armFiles['bin/ls'].size == new File(sysroot, 'bin/ls').length()
    assert amdFiles['bin/busybox'].size == new File('/bin/busybox').length()
    assert armFiles['etc/greeting'] == amdFiles['etc/greeting']
}

// ---- real clients
if (tools.require('read the image index with skopeo', 'skopeo')) {
    String raw = tools.run([tools.path('skopeo'), 'inspect', '--raw', "oci:${ociA.absolutePath}:1.0"])
    Map shown = new JsonSlurper().parseText(raw.substring(raw.indexOf('{'))) as Map
    assert shown.mediaType == 'application/vnd.oci.image.index.v1+json'
    assert shown.manifests*.platform == [[architecture: 'amd64', os: 'linux'], [architecture: 'arm64', os: 'linux']]
    assert shown.manifests*.digest == [amd64.manifestDigest, arm64.manifestDigest]
}
[[amd64, 'amd64', 'x86_64'], [arm64, 'arm64', 'aarch64']].each { Map image, String arch, String machine ->
    if (!tools.require("pick the $arch image with skopeo, unpack and run it", 'skopeo', 'umoci', 'runc')) {
        return
    }
    // skopeo picks the platform from the index and copies that image alone, verifying every blob's digest.
    File copy = new File(basedir, "target/copy-$arch")
    Tools.deleteTree(copy)
    tools.run([tools.path('skopeo'), '--insecure-policy', '--override-os', 'linux', '--override-arch', arch, 'copy',
               '--preserve-digests', "oci:${ociA.absolutePath}:1.0", "oci:${copy.absolutePath}:1.0"])
    Map copied = tools.checkLayout(copy)
    assert copied.manifestDigest == image.manifestDigest: "skopeo picked another image for $arch"
    if (tools.require('validate the image with oci-image-tool', 'oci-image-tool')) {
        tools.validate(copy, '1.0')
    }
    File bundle = tools.unpack(copy, '1.0', "bundle-$arch")
    // The image's own command: busybox uname -m, under qemu-user-static for arm64.
    assert tools.runContainer(bundle).readLines().contains(machine)
    // ls, dynamically linked, loads the platform's loader and libraries from the image.
    File configFile = new File(bundle, 'config.json')
    Map config = Tools.json(configFile) as Map
    config.process.args = ['/bin/ls', '-1', '/bin', '/etc']
    configFile.setText(JsonOutput.toJson(config), 'UTF-8')
    List<String> listed = tools.runContainer(bundle).readLines()
    assert listed.containsAll(['busybox', 'ls', 'greeting']): "ls listed:\n${listed.join('\n')}"
}
if (tools.require('validate each manifest with oci-image-tool', 'oci-image-tool')) {
    tools.run([tools.path('oci-image-tool'), 'validate', '--type', 'imageIndex', Tools.blob(ociA, a.indexDigest).path])
    a.images.each { Map image ->
        tools.run([tools.path('oci-image-tool'), 'validate', '--type', 'manifest',
                   Tools.blob(ociA, image.manifestDigest as String).path])
        tools.run([tools.path('oci-image-tool'), 'validate', '--type', 'config',
                   Tools.blob(ociA, image.manifest.config.digest as String).path])
    }
}

// ---- the second build, from other inputs into another folder: the same index, the same bytes
Map b = tools.checkIndexLayout(ociB)
assert b.indexDigest == a.indexDigest
assert b.blobs == a.blobs
(a.blobs.collect { "blobs/sha256/$it" } + ['index.json', 'oci-layout']).each {
    assert new File(ociB, it).bytes == new File(ociA, it).bytes: "$it differs between the two builds"
}

// ---- the log and the result file name every platform and the index
List<String> built = tools.builtLines()
assert built.size() == 2
built.each { assert it.contains(a.indexDigest) && it.contains('linux/amd64') && it.contains('linux/arm64'): it }
Map result = Tools.json(new File(basedir, 'target/scratch-image.json')) as Map
assert result.digest == a.indexDigest
assert new File(basedir, 'target/scratch-image.digest').getText('UTF-8').trim() == a.indexDigest
String log = tools.buildLog()
tools.assertNoStackTrace(log)
return true

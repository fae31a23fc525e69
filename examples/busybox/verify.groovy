// Not needed to build or use this example: the plugin's integration tests (`mvn install` at the repository root)
// build it as an invoker test and run this script against target/oci, with real OCI clients.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
File busybox = new File('/bin/busybox')

// Exactly oci-layout, index.json and blobs/sha256 with the config, the manifest and the two layers (busybox-static's
// package records, for scanners, then the program), and the SBOM's referrer: its manifest, the empty config {} and
// the SPDX document.
Map layout = tools.checkLayout(oci)
assert layout.blobs.size() == 4 + 3
assert layout.referrers*.manifest*.artifactType == ['application/spdx+json']
assert layout.layers*.name == ['metadata', 'app']
assert layout.tags == ['1.0.0', 'latest']
layout.index.manifests.findAll { !it.artifactType }.each {
    assert it.platform.os == 'linux'
    String tag = it.annotations['org.opencontainers.image.ref.name']
    assert it.annotations['io.containerd.image.name'] == "busybox:$tag"
}
assert layout.layerMediaType == 'application/vnd.oci.image.layer.v1.tar+gzip'
// Built by the plugin under test, not by an older one from a local repository.
assert layout.config.history[0].created_by == "org.scratchimage:scratch-maven-plugin:$pluginVersion":
        'examples/busybox/pom.xml must name the version of the plugin being built'

List<String> built = tools.builtLines()
assert built.size() == 1: "expected one 'Built image' line, got $built"
assert built[0].startsWith('[INFO] Built image busybox:1.0.0,latest ')
assert built[0].contains(layout.manifestDigest)

List<String> applets = ['cat', 'echo', 'env', 'id', 'ls', 'ps', 'sh', 'uname']
if (tools.require('list the layer', 'tar')) {
    Map metadata = tools.listLayer(layout.layers[0].file as File, true)
    assert metadata.keySet().containsAll(['var/lib/dpkg/status.d/busybox-static',
            'var/lib/dpkg/status.d/busybox-static.md5sums', 'etc/os-release', 'etc/debian_version'])
    Map entries = tools.listLayer(layout.layers[1].file as File, true)
    assert entries.keySet() == (['.', 'bin', 'bin/busybox', 'tmp'] + applets.collect { "bin/$it" }) as Set
    assert entries.values().every { it.uid == 0 && it.gid == 0 && it.time == '2024-01-01 00:00:00' }
    assert entries['bin/busybox'].mode == '-rwxr-xr-x'
    assert entries['bin/busybox'].size == busybox.length()
    assert entries['bin/ls'].mode.startsWith('l') && entries['bin/ls'].link == 'busybox'
    assert entries['bin/sh'].link == '/bin/busybox'
    assert entries['tmp'].mode == 'drwxrwxrwt'
}

if (tools.require('run the image', 'umoci', 'runc')) {
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    File rootfs = new File(bundle, 'rootfs')
    assert tools.sha256(new File(rootfs, 'bin/busybox')) == tools.sha256(busybox)
    String listing = tools.runContainer(bundle)
    // The entrypoint /bin/ls with cmd -la /bin, run as 65532:65532 in an image that holds nothing else.
    assert listing =~ /(?m)^l\S+\s.*\sls -> busybox$/: "no ls -> busybox in:\n$listing" +
            '\n(the image needs a static /bin/busybox: apt-get install busybox-static)'
    assert listing =~ /(?m)^-rwxr-xr-x\s.*\sbusybox$/
    assert listing =~ /(?m)^l\S+\s.*\ssh -> \/bin\/busybox$/
}

if (tools.require('read the image with skopeo', 'skopeo')) {
    Map summary = tools.skopeoInspect(oci, '1.0.0')
    assert summary.Architecture == layout.config.architecture
    assert summary.Os == 'linux'
    assert summary.Env == ['PATH=/bin']
    assert summary.Digest == layout.manifestDigest
    Map config = tools.skopeoInspect(oci, '1.0.0', true)
    assert config.config.Entrypoint == ['/bin/ls']
    assert config.config.Cmd == ['-la', '/bin']
    assert config.config.User == '65532:65532'
    assert config.created == '2024-01-01T00:00:00Z'
}
tools.checkWithClients(oci, 'latest')
return true

// mvn install put the archive into the local repository under the image classifier, byte for byte; the result
// files name the digests that skopeo reads from the archive, through both its OCI layout and its manifest.json.
import groovy.json.JsonSlurper

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File archive = new File(basedir, 'target/archive-install-1.0-image.tar')
assert archive.isFile()
File installed = new File(localRepositoryPath,
        'org/scratchimage/it/archive-install/1.0/archive-install-1.0-image.tar')
assert installed.isFile(): "mvn install did not install $installed"
assert installed.bytes == archive.bytes
String log = tools.buildLog()
assert log.contains("[INFO] Archive ${archive.canonicalPath}: ")

Map layout = tools.checkLayout(new File(basedir, 'target/oci'))
String digest = new File(basedir, 'target/scratch-image.digest').getText('US-ASCII')
assert digest == layout.manifestDigest + '\n'
Map result = tools.json(new File(basedir, 'target/scratch-image.json')) as Map
assert result.keySet() as List == ['image', 'tags', 'digest', 'platform', 'layers', 'archive', 'pushed']
assert result.image == 'archive-install'
assert result.tags == ['1.0', 'latest']
assert result.digest == layout.manifestDigest
assert result.archive == archive.canonicalPath
assert result.pushed == []
assert result.layers*.name == layout.layers*.name
assert result.layers*.digest == layout.manifest.layers*.digest
assert result.layers*.diff_id == layout.config.rootfs.diff_ids

if (tools.require('read the archive with skopeo through oci-archive: and docker-archive:', 'skopeo')) {
    String skopeo = tools.path('skopeo')
    String oci = "oci-archive:${archive.absolutePath}:1.0"
    Map inspected = new JsonSlurper().parseText(tools.run([skopeo, 'inspect', oci])) as Map
    assert inspected.Digest == result.digest
    assert inspected.Layers == result.layers*.digest
    Map ociManifest = new JsonSlurper().parseText(tools.run([skopeo, 'inspect', '--raw', oci])) as Map
    Map ociConfig = new JsonSlurper().parseText(tools.run([skopeo, 'inspect', '--config', oci])) as Map
    assert ociConfig.rootfs.diff_ids == result.layers*.diff_id
    assert ociManifest.layers*.size == result.layers*.size

    // Docker before 25 reads manifest.json: the same config, under each image:tag.
    for (String tag : result.tags) {
        String docker = "docker-archive:${archive.absolutePath}:archive-install:$tag"
        Map dockerManifest = new JsonSlurper().parseText(tools.run([skopeo, 'inspect', '--raw', docker])) as Map
        assert dockerManifest.config.digest == ociManifest.config.digest
        Map dockerConfig = new JsonSlurper().parseText(tools.run([skopeo, 'inspect', '--config', docker])) as Map
        assert dockerConfig.rootfs.diff_ids == result.layers*.diff_id
    }
}
return true

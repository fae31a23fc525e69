// mvn install put the SBOM into the local repository under the sbom classifier, byte for byte the file in target/
// and the layer of the referrer that follows the image in index.json; the second build was up to date.
import groovy.json.JsonSlurper

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File sbom = new File(basedir, 'target/sbom-attached-1.0-sbom.spdx.json')
assert sbom.isFile()
File installed = new File(localRepositoryPath,
        'org/scratchimage/it/sbom-attached/1.0/sbom-attached-1.0-sbom.spdx.json')
assert installed.isFile(): "mvn install did not install $installed"
assert installed.bytes == sbom.bytes
String log = tools.buildLog()
assert log.contains('[INFO] Image up to date: sbom-attached:1.0 ')

Map layout = tools.checkLayout(new File(basedir, 'target/oci'))
assert layout.referrers.size() == 1
Map referrer = layout.referrers[0]
assert referrer.manifest.artifactType == 'application/spdx+json'
assert referrer.manifest.layers[0].mediaType == 'application/spdx+json'
assert referrer.content.bytes == sbom.bytes

Map document = new JsonSlurper().parse(sbom) as Map
assert document.spdxVersion == 'SPDX-2.3'
assert document.packages[0].primaryPackagePurpose == 'CONTAINER'
assert document.packages[0].versionInfo == layout.manifestDigest
assert document.packages[1].externalRefs[0].referenceLocator == 'pkg:maven/org.scratchimage.it/sbom-attached@1.0'
Map file = document.files.find { it.fileName == './etc/pom.xml' } as Map
assert file.checksums.find { it.algorithm == 'SHA256' }.checksumValue ==
        tools.sha256(new File(basedir, 'pom.xml')).substring(7)

if (tools.require('read the image by its tag with the referrer in index.json', 'skopeo')) {
    Map inspected = new JsonSlurper().parseText(tools.run([tools.path('skopeo'), 'inspect',
            "oci:${new File(basedir, 'target/oci').absolutePath}:1.0"])) as Map
    assert inspected.Digest == layout.manifestDigest
}
return true

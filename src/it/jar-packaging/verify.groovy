import java.util.zip.ZipFile

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File jar = new File(basedir, 'target/jar-packaging-1.0.jar')
File oci = new File(basedir, 'target/oci')
Map layout = tools.checkLayout(oci)
// Defaults: the artifactId as image name, the project version as tag.
assert layout.tags == ['1.0']
assert layout.index.manifests[0].annotations['io.containerd.image.name'] == 'jar-packaging:1.0'

// Run 1: the jar was built first, in the same phase, and went into the image as it is.
String log = tools.buildLog()
int jarBuilt = log.indexOf('Building jar: ' + jar.absolutePath)
int imageBuilt = log.indexOf('[INFO] Built image jar-packaging:1.0 ')
assert jarBuilt >= 0 && imageBuilt > jarBuilt
assert new ZipFile(jar).withCloseable { it.getEntry('org/example/Hello.class') != null }
if (tools.require('extract the layer', 'tar')) {
    File extracted = new File(basedir, 'target/extracted')
    extracted.mkdirs()
    tools.run([tools.path('tar'), '-xzf', layout.layer.absolutePath, '-C', extracted.absolutePath, 'app/app.jar'])
    assert new File(extracted, 'app/app.jar').bytes == jar.bytes
}
tools.checkWithClients(oci, '1.0')

// Run 2: -Dscratch.skip=true says so once and writes nothing.
assert log.readLines().count { it == '[INFO] Skipping scratch:build per configuration.' } == 1
assert tools.builtLines().size() == 1
assert !new File(basedir, 'target/oci-skipped').exists()
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
List<String> built = tools.builtLines()
assert built.size() == 2
List<String> manifests = built.collect { (it =~ /manifest (sha256:[a-f0-9]{64})/)[0][1] }
assert manifests[0] != manifests[1]
assert built[0].startsWith('[INFO] Built image rebuilt:1.0 ')
assert built[1].startsWith('[INFO] Built image rebuilt:2.0 ')

// Exactly the second image: its three blobs and the three of its SBOM referrer (manifest, empty config, document),
// its one tag, nothing staged or stale.
Map layout = tools.checkLayout(oci)
assert layout.blobs.size() == 3 + 3
assert layout.referrers.size() == 1
assert layout.tags == ['2.0']
assert layout.manifestDigest == manifests[1]
assert !tools.blob(oci, manifests[0]).exists()
byte[] tar = tools.layerTar(layout.layer)
assert tools.contains(tar, 'version two')
assert !tools.contains(tar, 'version one')
tools.checkWithClients(oci, '2.0')
return true

// Pushing the same image again finds every blob in the registry: the registry's access log shows no blob upload
// request during the second run (only HEADs, the manifest PUT and the SBOM referrer's), and its info line says so.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

def manifest = new groovy.json.JsonSlurper().parse(push.tools.blob(push.layout(), push.layoutDigest()))
int blobs = 1 + manifest.layers.size()
// The SBOM referrer follows the image: its empty config and its document, then its manifest by digest, then the
// tag fallback, since Debian's registry has no referrers API.
List<String> referrerBlobs = push.tools.referrerBlobs(push.layout())
assert referrerBlobs.size() == 3
String referrer = 'sha256:' + referrerBlobs[0]
String fallback = 'sha256-' + push.layoutDigest().substring(7)

push.using(push.htpasswdRegistry('alice', 'second-pw-1')) { registry ->
    String reference = push.reference(registry)
    List args = ['-Dscratch.username=alice', '-Dscratch.password=second-pw-1']
    String pushed = "[INFO] Pushed $reference: manifest ${push.layoutDigest()}, blobs"

    int beforeFirst = registry.mark()
    Map first = push.push('first', reference, args)
    List<String> firstLines = push.pushedLines(first.out)
    assert firstLines[0].startsWith("$pushed $blobs uploaded, 0 mounted, 0 already present, "): firstLines
    assert registry.requestsSince(beforeFirst).count { it.isBlobUpload() && it.method() == 'PUT' } == blobs + 2
    assert push.referrerLines(first.out) == ["[INFO] Pushed the SBOM of $reference: manifest $referrer, listed by tag"
                                                     + " $fallback".toString()]
    assert registry.requestsSince(beforeFirst).findAll { it.method() == 'PUT' && it.path().contains('/manifests/') }
            *.path() == ['/v2/its/app/manifests/1.0', "/v2/its/app/manifests/$referrer".toString(),
                         "/v2/its/app/manifests/$fallback".toString()]

    int beforeSecond = registry.mark()
    Map second = push.push('second', reference, args)
    assert push.pushedLines(second.out) == ["$pushed 0 uploaded, 0 mounted, $blobs already present, 0 B sent"
                                                    .toString()]
    List requests = registry.requestsSince(beforeSecond)
    assert requests.findAll { it.isBlobUpload() }.isEmpty(): "the second push uploaded: $requests"
    assert requests.findAll { it.method() == 'HEAD' && it.path().contains('/blobs/') && it.status() == 200 }.size()
            == blobs + 2: "the second push did not find every blob with HEAD: $requests"
    // The referrer's manifest is put again (a PUT of the same bytes by digest changes nothing); the fallback index,
    // which lists it already, is only read.
    assert requests.findAll { it.method() == 'PUT' }*.path() == ['/v2/its/app/manifests/1.0',
                                                                  "/v2/its/app/manifests/$referrer".toString()]: requests
    push.assertServed(registry, reference, [user: 'alice', password: 'second-pw-1'])
}
return true

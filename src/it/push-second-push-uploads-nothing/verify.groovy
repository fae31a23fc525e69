// Pushing the same image again finds every blob in the registry: the registry's access log shows no blob upload
// request during the second run (only HEADs and the manifest PUT), and its info line says so.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

def manifest = new groovy.json.JsonSlurper().parse(push.tools.blob(push.layout(), push.layoutDigest()))
int blobs = 1 + manifest.layers.size()

push.using(push.htpasswdRegistry('alice', 'second-pw-1')) { registry ->
    String reference = push.reference(registry)
    List args = ['-Dscratch.username=alice', '-Dscratch.password=second-pw-1']
    String pushed = "[INFO] Pushed $reference: manifest ${push.layoutDigest()}, blobs"

    int beforeFirst = registry.mark()
    Map first = push.push('first', reference, args)
    List<String> firstLines = push.pushedLines(first.out)
    assert firstLines[0].startsWith("$pushed $blobs uploaded, 0 mounted, 0 already present, "): firstLines
    assert registry.requestsSince(beforeFirst).count { it.isBlobUpload() && it.method() == 'PUT' } == blobs

    int beforeSecond = registry.mark()
    Map second = push.push('second', reference, args)
    assert push.pushedLines(second.out) == ["$pushed 0 uploaded, 0 mounted, $blobs already present, 0 B sent"
                                                    .toString()]
    List requests = registry.requestsSince(beforeSecond)
    assert requests.findAll { it.isBlobUpload() }.isEmpty(): "the second push uploaded: $requests"
    assert requests.findAll { it.method() == 'HEAD' && it.path().contains('/blobs/') && it.status() == 200 }.size()
            == blobs: "the second push did not find every blob with HEAD: $requests"
    assert requests.findAll { it.method() == 'PUT' }*.path() == ['/v2/its/app/manifests/1.0']: requests
    push.assertServed(registry, reference, [user: 'alice', password: 'second-pw-1'])
}
return true

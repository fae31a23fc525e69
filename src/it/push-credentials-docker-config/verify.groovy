// DOCKER_CONFIG names the folder of config.json. Its "auths" entry (base64 user:password) gives the credentials; in a
// second config, "credHelpers" names docker-credential-test, a script first on PATH, which is asked with the
// registry host on stdin and answers the credentials as JSON.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

push.using(push.htpasswdRegistry('alice', 'docker-pw-1')) { registry ->
    String host = registry.host()
    Map auth = [user: 'alice', password: 'docker-pw-1']

    File auths = new File(basedir, 'docker-auths')
    auths.mkdirs()
    String basic = 'alice:docker-pw-1'.bytes.encodeBase64()
    new File(auths, 'config.json').setText("""{"auths": {"$host": {"auth": "$basic"}}}""", 'UTF-8')
    String reference = push.reference(registry, 'auths')
    Map run = push.push('auths', reference, [], [DOCKER_CONFIG: auths.absolutePath])
    push.assertCredentialsFrom(run, registry,
            "Docker config ${new File(auths, 'config.json').absolutePath} auths \"$host\"")
    push.assertServed(registry, reference, auth)

    File bin = new File(basedir, 'bin')
    bin.mkdirs()
    File asked = new File(basedir, 'helper-asked.txt')
    File helper = new File(bin, 'docker-credential-test')
    helper.setText("""#!/bin/bash
[ "\$1" = get ] || { echo "unexpected action \$1" >&2; exit 1; }
cat > '${asked.absolutePath}'
echo '{"ServerURL": "$host", "Username": "alice", "Secret": "docker-pw-1"}'
""", 'UTF-8')
    assert helper.setExecutable(true)
    File helpers = new File(basedir, 'docker-helpers')
    helpers.mkdirs()
    new File(helpers, 'config.json').setText("""{"credHelpers": {"$host": "test"}}""", 'UTF-8')
    reference = push.reference(registry, 'helper')
    run = push.push('helper', reference, [],
            [DOCKER_CONFIG: helpers.absolutePath, PATH: bin.absolutePath + ':' + System.getenv('PATH')])
    assert asked.getText('UTF-8').trim() == host: 'the helper was not asked for the registry host'
    push.assertCredentialsFrom(run, registry, "credential helper docker-credential-test (credHelpers \"$host\" of" +
            " Docker config ${new File(helpers, 'config.json').absolutePath})")
    push.assertServed(registry, reference, auth)
}
return true

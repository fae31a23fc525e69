// A registry with Bearer tokens: the push asks the realm for a pull,push token on the repository with the Basic
// credentials of -Dscratch.username/-Dscratch.password, and pushes with the token.
def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

push.using(push.tokenIssuer(push.pki(), 'alice', 'bearer-pw-1')) { issuer ->
    push.using(push.tokenRegistry(issuer)) { registry ->
        String reference = push.reference(registry)
        Map run = push.push('push', reference, ['-Dscratch.username=alice', '-Dscratch.password=bearer-pw-1'])
        push.assertCredentialsFrom(run, registry, '<username> and <password> (scratch.username)')
        List asked = issuer.requests()
        assert asked.size() >= 1
        asked.each { seen ->
            assert seen.user() == 'alice' && seen.authenticated(): "the realm was not given alice's credentials: $seen"
            assert seen.scopes() == ['repository:its/app:pull,push']: "the realm was asked for $seen"
        }
        assert !issuer.issuedTokens().isEmpty()
        int tokens = issuer.issuedTokens().size()
        push.assertServed(registry, reference, [user: 'alice', password: 'bearer-pw-1'])
        assert issuer.issuedTokens().size() > tokens: 'skopeo did not go through the realm'
    }
}
return true

// No secret reaches the output of a push at -X (debug, where Maven also prints every mojo's configuration), failed
// or not, nor any file under target/: neither the passwords, nor the base64 user:password the realm is sent, nor
// any token the realm issued. The failed push passes a wrong password with -Dscratch.password; the passing one takes
// it from a settings.xml <server> whose password is ${env.SCRATCH_IT_PASSWORD}.
// A <password> in the pom cannot be kept out of -X: Maven resolves ${env.X} while it reads the pom, and prints the
// value in the mojo's configuration before the goal runs. The goal warns about it; a third push checks the warning.
import java.nio.file.Files

def loader = new GroovyClassLoader(getClass().classLoader)
[new File(itRoot, 'tools'), new File(testClasses)].each { loader.addClasspath(it.path) }
def push = loader.parseClass(new File(itRoot, 'tools/PushTools.groovy')).newInstance(basedir, localRepositoryPath)
if (!push.toolsPresent()) {
    return true
}

String right = 'leak-right-pw-4711'
String wrong = 'leak-wrong-pw-0815'

push.using(push.tokenIssuer(push.pki(), 'alice', right)) { issuer ->
    push.using(push.tokenRegistry(issuer)) { registry ->
        String host = registry.host()
        String reference = push.reference(registry)
        Map failed = push.pushFails('wrong-password', reference, ['-X', '-Dscratch.username=alice',
                                                                  "-Dscratch.password=$wrong"])
        assert failed.out.contains('[DEBUG]   (f) password = <password>${scratch.password}</password>')
        String error = push.tools.scratchErrorLine(failed.out)
        assert error.contains("registry $host answered 401"): error
        assert error.contains('It refused the credentials from <username> and <password> (scratch.username)'): error
        assert registry.tags('its/app').isEmpty()

        File settings = push.settings('settings-environment', "    <server><id>$host</id><username>alice</username>" +
                '<password>${env.SCRATCH_IT_PASSWORD}</password></server>')
        Map passed = push.push('right-password', reference, ['-X'], [SCRATCH_IT_PASSWORD: right], settings)
        assert passed.out.contains('[DEBUG] ')
        push.assertCredentialsFrom(passed, registry, "settings.xml server \"$host\"")

        List<String> tokens = issuer.issuedTokens()
        assert tokens.size() >= 2: 'each run must have been given a token'
        Map<String, String> secrets = [
                'the password'               : right,
                'the wrong password'         : wrong,
                'the Basic credentials'      : "alice:$right".bytes.encodeBase64().toString(),
                'the wrong Basic credentials': "alice:$wrong".bytes.encodeBase64().toString()]
        tokens.eachWithIndex { String token, int i ->
            secrets["token $i"] = token
            // a token cut short is still a leak: its signature alone is searched for too
            secrets["the signature of token $i"] = token.substring(token.lastIndexOf('.') + 1)
        }
        [(failed): 'the failed push', (passed): 'the passing push'].each { Map run, String which ->
            secrets.each { String what, String secret ->
                assert !run.all.contains(secret): "$what is in the output of $which"
            }
        }
        File imageFile = new File(basedir, 'target/scratch-image.json')
        assert imageFile.isFile(): 'the push wrote no scratch-image.json'
        assert imageFile.getText('UTF-8').contains(reference)
        int searched = 0
        Files.walk(new File(basedir, 'target').toPath()).withCloseable { files ->
            files.filter { Files.isRegularFile(it) }.forEach { path ->
                String content = new String(Files.readAllBytes(path), 'ISO-8859-1')
                secrets.each { String what, String secret ->
                    assert !content.contains(secret): "$what is in $path"
                }
                searched++
            }
        }
        println "push-no-secret-leaks: ${secrets.size()} secrets in no output and in none of $searched files"
        push.assertServed(registry, reference, [user: 'alice', password: right])

        Map inPom = push.push('password-in-pom', push.reference(registry, 'pom'), ['-Ppassword-from-environment'],
                [SCRATCH_IT_PASSWORD: right])
        List<String> warnings = inPom.out.readLines().findAll { it.startsWith('[WARNING]') }
        assert warnings == ['[WARNING] <password> is set in the pom: Maven resolves a value written there, ${env.X}' +
                                    ' included, before the goal runs, and prints it at -X. Fix: pass it with' +
                                    ' -Dscratch.password, or put it in a settings.xml <server>']: warnings
        assert !inPom.all.contains(right)
    }
}
return true

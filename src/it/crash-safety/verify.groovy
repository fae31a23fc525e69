// Kills the Maven process with SIGKILL at random moments of builds, 20 times. After each kill target/oci must be the
// complete previous layout or the complete new one, with every blob verified; the next build must clean up
// whatever the killed one left (staging folder, unreferenced blobs).
import java.nio.file.Files
import java.security.MessageDigest
import java.util.concurrent.TimeUnit
import java.util.zip.GZIPInputStream

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File oci = new File(basedir, 'target/oci')
String mvn = tools.require('start Maven', 'mvn') ? tools.path('mvn') : null
if (mvn == null) {
    return true
}

String sha256(InputStream input) {
    MessageDigest digest = MessageDigest.getInstance('SHA-256')
    byte[] buffer = new byte[1 << 16]
    input.withStream { for (int n; (n = it.read(buffer)) > 0;) { digest.update(buffer, 0, n) } }
    return 'sha256:' + digest.digest().encodeHex().toString()
}

/** Verifies every blob the index references and returns the run number the manifest carries. */
int committedRun(File layout) {
    Map index = new groovy.json.JsonSlurper().parse(new File(layout, 'index.json')) as Map
    Closure blob = { Map d ->
        File f = new File(layout, 'blobs/sha256/' + (d.digest as String).substring(7))
        assert f.isFile(): "missing blob ${d.digest}"
        assert f.length() == (d.size as long): "blob ${d.digest} has the wrong size"
        assert sha256(new FileInputStream(f)) == d.digest: "blob ${d.digest} does not match its digest"
        return f
    }
    // The image, then its SBOM referrer: both complete, whatever run was killed where.
    assert index.manifests.size() == 2
    Map referrer = new groovy.json.JsonSlurper().parse(blob(index.manifests[1] as Map)) as Map
    assert referrer.subject.digest == index.manifests[0].digest
    blob(referrer.config as Map)
    blob(referrer.layers[0] as Map)
    Map manifest = new groovy.json.JsonSlurper().parse(blob(index.manifests[0] as Map)) as Map
    Map config = new groovy.json.JsonSlurper().parse(blob(manifest.config as Map)) as Map
    File layer = blob(manifest.layers[0] as Map)
    assert sha256(new GZIPInputStream(new FileInputStream(layer))) == config.rootfs.diff_ids[0]
    return manifest.annotations['org.scratchimage.it.run'] as int
}

long seed = Long.getLong('crash.seed', System.nanoTime())
println "crash-safety: seed $seed (rerun with mvn install -Dinvoker.test=crash-safety -Dcrash.seed=$seed)"
Random random = new Random(seed)
int committed = committedRun(oci)
assert committed == 0
int killedBefore = 0
int killedAfter = 0
int finishedRuns = 0
String repo = localRepositoryPath.absolutePath
File log = new File(basedir, 'target/crash-runs.log')

// One build run to its end times a whole build on this machine, so that the kills spread over all of it,
// commit and pruning included, however fast or loaded the machine is.
new File(basedir, 'data/run.txt').text = "run 1\n"
long start = System.nanoTime()
Process timed = new ProcessBuilder(mvn, '-B', '-o', '-llr', "-Dmaven.repo.local=$repo", '-Drun=1', 'package')
        .directory(basedir).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
assert timed.waitFor(300, TimeUnit.SECONDS) && timed.exitValue() == 0: "the timed build failed; see $log"
long whole = (System.nanoTime() - start) / 1_000_000
assert committedRun(oci) == 1
committed = 1
println "crash-safety: a whole build takes $whole ms here"

// Until 20 builds were killed; a build that ends before its kill comes still counts as a check, not a kill.
int run = 1
while (killedBefore + killedAfter < 20) {
    run++
    assert run <= 60: 'the builds end too fast to be killed'
    new File(basedir, 'data/run.txt').text = "run $run\n"
    long delay = (long) (whole * (0.05 + 1.1 * random.nextDouble()))
    Process maven = new ProcessBuilder(mvn, '-B', '-o', '-llr', "-Dmaven.repo.local=$repo", "-Drun=$run", 'package')
            .directory(basedir).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
    boolean finished = maven.waitFor(delay, TimeUnit.MILLISECONDS)
    if (!finished) {
        maven.descendants().forEach { it.destroyForcibly() }
        maven.destroyForcibly()
        assert maven.waitFor(60, TimeUnit.SECONDS)
    }
    assert oci.isDirectory()
    int now = committedRun(oci)
    assert now == committed || now == run: "run $run: the layout is from run $now, neither $committed nor $run"
    if (finished) {
        assert maven.exitValue() == 0: "run $run ended by itself but failed; see $log"
        assert now == run
    }
    if (finished) {
        finishedRuns++
    } else if (now == run) {
        killedAfter++
    } else {
        killedBefore++
    }
    println "crash-safety: run $run, ${finished ? 'finished' : "killed after $delay ms"}, layout of run $now"
    committed = now
}
println "crash-safety: $killedBefore kills left the previous image, $killedAfter found the new one committed," +
        " $finishedRuns builds finished before their kill"
assert killedBefore > 0: 'no kill landed before a commit: the builds are too short to test anything'

// A build after the kills cleans up: exactly the new image, no staging folder, no stale blob.
Process last = new ProcessBuilder(mvn, '-B', '-o', '-llr', "-Dmaven.repo.local=$repo", '-Drun=99', 'package')
        .directory(basedir).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
assert last.waitFor(300, TimeUnit.SECONDS) && last.exitValue() == 0: "the build after the kills failed; see $log"
Map layout = tools.checkLayout(oci)
assert layout.manifest.annotations['org.scratchimage.it.run'] == '99'
assert !new File(oci, '.scratch-staging').exists()
return true

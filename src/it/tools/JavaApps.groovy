import groovy.json.JsonOutput
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

/**
 * Helpers of the tests of <java> images (examples/java-app, src/it/java-*), over Tools:
 * <pre>
 * def loader = new GroovyClassLoader(getClass().classLoader)
 * def tools = loader.parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
 * def java = loader.parseClass(new File(itRoot, 'tools/JavaApps.groovy')).newInstance(tools)
 * </pre>
 */
class JavaApps {
    final def tools

    JavaApps(def tools) {
        this.tools = tools
    }

    /**
     * Copies examples/NAME as a user copies it, every pom.xml and src/ folder of the reactor (no target/, no
     * verify.groovy), into a folder.
     */
    static void copyExample(Object itRoot, String example, File into) {
        Path from = new File(itRoot.toString(), "../../examples/$example").toPath().toRealPath()
        Path to = into.toPath()
        Files.walk(from).withCloseable { stream ->
            stream.filter { Path p -> !from.relativize(p).toString().split('/').contains('target') }.forEach { Path p ->
                String relative = from.relativize(p).toString()
                Path copy = to.resolve(relative)
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy)
                } else if (p.fileName.toString() == 'pom.xml' || relative.split('/').contains('src')) {
                    Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING)
                }
            }
        }
        assert new File(into, 'pom.xml').isFile()
    }

    /**
     * The parts of a <java> entrypoint: /opt/java/bin/java FLAGS -cp CLASSPATH MAINCLASS.
     *
     * @return [flags: [...], classpath: [...], mainClass:]
     */
    static Map entrypoint(List<String> entrypoint) {
        assert entrypoint[0] == '/opt/java/bin/java': "entrypoint $entrypoint"
        int cp = entrypoint.indexOf('-cp')
        assert cp > 0 && cp == entrypoint.size() - 3: "entrypoint $entrypoint"
        return [flags: entrypoint.subList(1, cp), classpath: entrypoint[cp + 1].split(':') as List,
                mainClass: entrypoint[cp + 2]]
    }

    /** Runs an unpacked bundle with its process.args replaced, e.g. by ['/opt/java/bin/java', '--list-modules']. */
    String run(File bundle, List<String> args, int timeoutSeconds = 120) {
        File configFile = new File(bundle, 'config.json')
        Map config = tools.json(configFile) as Map
        config.process.args = args
        configFile.setText(JsonOutput.toJson(config), 'UTF-8')
        return tools.runContainer(bundle, timeoutSeconds)
    }

    /** The module names of `java --list-modules` output ("java.base@17.0.2" lines). */
    static SortedSet<String> moduleNames(String listModules) {
        return listModules.readLines().findAll { it =~ /^[a-z][a-z0-9.]*@/ }.collect { it.substring(0, it.indexOf('@')) } as TreeSet
    }

    /**
     * What jdeps reports for these jars, run as docs/java.md says the plugin runs it: the JDK's own jdeps,
     * --print-module-deps --ignore-missing-deps --multi-release FEATURE.
     */
    SortedSet<String> jdeps(File jdk, List<File> jars, int feature) {
        String out = tools.run([new File(jdk, 'bin/jdeps').path, '--print-module-deps', '--ignore-missing-deps',
                                '--multi-release', feature] + jars*.path)
        return out.readLines().findAll { it ==~ /[a-z][a-z0-9.]*(,[a-z][a-z0-9.]*)*/ }.last().split(',') as TreeSet
    }

    /** The modules a runtime linked from these roots holds: the JDK's java resolving them with --limit-modules. */
    SortedSet<String> closure(File jdk, Collection<String> roots) {
        return moduleNames(tools.run([new File(jdk, 'bin/java').path, '--limit-modules', roots.join(','), '--list-modules']))
    }

    /** The module names of a JDK, from its own java. */
    SortedSet<String> modules(File jdk) {
        return moduleNames(tools.run([new File(jdk, 'bin/java').path, '--list-modules']))
    }

    /**
     * mvn -B -o package in a folder, with the invoker's local repository, as a user runs it; its output goes to
     * target/NAME.log of the test.
     *
     * @return the output
     */
    String mvn(File dir, String name, File localRepository, List<String> args = []) {
        List<String> command = [tools.path('mvn'), '-B', '-o', '-llr', "-Dmaven.repo.local=$localRepository.absolutePath",
                                '-Dstyle.color=never'] + args + ['package']
        Map result = tools.exec(command, [dir: dir, timeout: 300])
        File log = new File(tools.basedir, "target/${name}.log")
        log.parentFile.mkdirs()
        log.setText(result.out as String, 'UTF-8')
        assert result.exit == 0: "mvn package in $dir failed; see $log"
        return result.out
    }

    /** The [name, digest, 'reused' or 'written (why)'] of each "Layer" line of a build's output. */
    static List<List<String>> layerLines(String log) {
        def layerLine = ~/^\[INFO\] Layer ([a-z0-9._-]+): (\d+) entries, ([^,]+), (sha256:[a-f0-9]{64}), (written \(.+\)|reused)$/
        return log.readLines().findAll { it.startsWith('[INFO] Layer ') }.collect {
            def m = layerLine.matcher(it)
            assert m.matches(): "unexpected layer line: $it"
            [m.group(1), m.group(4), m.group(5)]
        }
    }
}

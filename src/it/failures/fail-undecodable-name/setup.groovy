import java.nio.file.Files

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Java cannot make such a name (its file names are strings), nor delete it: neither could mvn clean or the
// invoker's next clone. So the tree lives in a temporary folder that tree links to, and rm deletes it.
File tree = Files.createTempDirectory('scratch-it-undecodable-').toFile()
new File(tree, 'etc').mkdirs()
new File(tree, 'etc/motd').setText('Welcome.\n', 'UTF-8')
tools.run(['sh', '-c', 'touch "etc/$(printf \'\\377\')name"'], [dir: tree])
assert new File(tree, 'etc').list().any { it.endsWith('name') && it != 'name' }
Files.createSymbolicLink(new File(basedir, 'tree').toPath(), tree.toPath())
return true

// Links out of the tree to what a build that followed them would hang on, leak, or copy by the megabyte.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

Path base = basedir.toPath()
Path outside = Files.createDirectories(base.resolve('outside'))
Files.writeString(outside.resolve('secret.txt'), 'TOP-SECRET-c41d: this must never reach a layer\n')
Files.writeString(outside.resolve('locked.txt'), 'LOCKED-7e2b: nobody may read this\n')
Files.setPosixFilePermissions(outside.resolve('locked.txt'), PosixFilePermissions.fromString('---------'))
tools.run([tools.path('mkfifo'), outside.resolve('pipe').toString()])
def link = { String name, String target -> Files.createSymbolicLink(base.resolve('tree').resolve(name), Path.of(target)) }
link('etc/zero', '/dev/zero')
link('etc/pipe', '../../outside/pipe')
link('etc/environ', '/proc/self/environ')
link('etc/secret', '../../outside/secret.txt')
link('etc/locked', base.resolve('outside/locked.txt').toAbsolutePath().toString())
link('lib', '/usr/lib')
return true

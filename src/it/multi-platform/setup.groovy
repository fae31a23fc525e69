// Two inputs that differ in everything but content: the project file with other host modes and mtimes, and two
// links, at different paths, to the one arm64 sysroot. Neither path may reach the image.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.FileTime
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)
Path sysroot = tools.arm64Sysroot().toPath()

[a: ['rw-r--r--', 1_000_000_000L], b: ['rw-rw----', 1_900_000_000L]].each { String name, List host ->
    Path input = basedir.toPath().resolve(name)
    Files.createDirectories(input)
    Path greeting = input.resolve('greeting.txt')
    Files.writeString(greeting, 'hello from every platform\n')
    Files.setPosixFilePermissions(greeting, PosixFilePermissions.fromString(host[0] as String))
    Files.setLastModifiedTime(greeting, FileTime.fromMillis((host[1] as long) * 1000))
    Path link = input.resolve('arm64')
    Files.deleteIfExists(link)
    Files.createSymbolicLink(link, sysroot)
}
return true

// Two copies of the same inputs that differ in everything but content: host modes (as if made under different
// umasks), mtimes (random) and the order in which files were created.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.FileTime
import java.nio.file.attribute.PosixFilePermissions

Path base = basedir.toPath()
Path content = base.resolve('content')
Random random = new Random()
String script = '#!/bin/sh\necho "hello from a scratch image"\n'

def copy = { String name, String fileMode, String dirMode, String scriptMode, boolean reverse ->
    Path target = base.resolve(name)
    List<Path> files = new ArrayList<>(
            Files.walk(content).withCloseable { it.filter { Files.isRegularFile(it) }.toList() })
    files.sort()
    if (reverse) {
        files = files.reverse()
    }
    for (Path file : files) {
        Path copied = target.resolve(content.relativize(file).toString())
        Files.createDirectories(copied.parent)
        Files.copy(file, copied)
        Files.setPosixFilePermissions(copied, PosixFilePermissions.fromString(fileMode))
    }
    Path hello = target.resolve('hello.sh')
    Files.writeString(hello, script)
    Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString(scriptMode))
    Files.walk(target).withCloseable { it.toList() }.each { Path p ->
        // anywhere from 2001 to 2035: the two copies never share mtimes
        Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L + (random.nextLong() & 0xFFFFFFFFFFL)))
        if (Files.isDirectory(p)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(dirMode))
        }
    }
}

copy('a', 'rw-r--r--', 'rwxr-xr-x', 'rwxr-xr-x', false)
copy('b', 'rw-rw----', 'rwx------', 'rwx------', true)
return true

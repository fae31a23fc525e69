// The data layer's host tree, with what git cannot hold: an empty directory and a symbolic link.
import java.nio.file.Files
import java.nio.file.Path

Path data = basedir.toPath().resolve('data')
def write = { String relative, byte[] bytes ->
    Path file = data.resolve(relative)
    Files.createDirectories(file.parent)
    Files.write(file, bytes)
}
write('readme.txt', 'data layer readme\n'.getBytes('UTF-8'))
write('sub/numbers.bin', (0..<3000).collect { (byte) (it * 7) } as byte[])
write('sub/deeper/notes.txt', 'deep notes\n'.getBytes('UTF-8'))
Files.createDirectories(data.resolve('empty'))
Files.createSymbolicLink(data.resolve('sub/readme'), Path.of('../readme.txt'))
return true

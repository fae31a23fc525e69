// The project under test is examples/nginx, exactly as a user copies it: its nginx image is the app to debug, its
// toolkit image the container that attaches to it. Copied here rather than kept twice, so that the two cannot drift.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption

Path example = new File(itRoot, '../../examples/nginx').toPath().toRealPath()
Path target = basedir.toPath()
Files.copy(example.resolve('pom.xml'), target.resolve('pom.xml'), StandardCopyOption.REPLACE_EXISTING)
Files.walk(example.resolve('src')).withCloseable { stream ->
    stream.forEach { Path from ->
        Path to = target.resolve(example.relativize(from).toString())
        if (Files.isDirectory(from)) {
            Files.createDirectories(to)
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING)
        }
    }
}
assert new File(basedir, 'src/main/nginx/nginx.conf').isFile()
return true

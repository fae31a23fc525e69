// About 80 MB of incompressible data (fixed seed), plus the file each run rewrites so that every build makes a
// new layer: after a kill the folder must hold either the previous image or the new one, never a mix.
import java.nio.file.Files
import java.nio.file.Path

Path data = Files.createDirectories(basedir.toPath().resolve('data'))
Random random = new Random(42)
byte[] chunk = new byte[2 * 1024 * 1024]
40.times { i ->
    random.nextBytes(chunk)
    Files.write(data.resolve(String.format('blob-%02d.bin', i)), chunk)
}
Files.writeString(data.resolve('run.txt'), 'run 0\n')
return true

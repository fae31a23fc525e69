// target/out, empty, and target/alias -> out, a relative link: two names of one folder. Each module copies
// 10 MB of incompressible data (fixed seeds), so that the two builds overlap in time and their images differ.
import java.nio.file.Files
import java.nio.file.Path

Path target = Files.createDirectories(basedir.toPath().resolve('target/out')).parent
Files.createSymbolicLink(target.resolve('alias'), Path.of('out'))
['a', 'b'].eachWithIndex { String module, int i ->
    Path data = Files.createDirectories(basedir.toPath().resolve(module).resolve('data'))
    Random random = new Random(i)
    byte[] chunk = new byte[1024 * 1024]
    10.times { n ->
        random.nextBytes(chunk)
        Files.write(data.resolve("part-${n}.bin"), chunk)
    }
    Files.writeString(data.resolve('module.txt'), 'scratch-it-module-' + module + '\n')
}
return true

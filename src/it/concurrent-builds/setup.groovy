// Each module copies its own 20 MB of incompressible data (fixed seeds), so that the two builds overlap in time
// and their images differ.
import java.nio.file.Files
import java.nio.file.Path

['a', 'b'].eachWithIndex { String module, int i ->
    Path data = Files.createDirectories(basedir.toPath().resolve(module).resolve('data'))
    Random random = new Random(i)
    byte[] chunk = new byte[1024 * 1024]
    20.times { n ->
        random.nextBytes(chunk)
        Files.write(data.resolve("part-${n}.bin"), chunk)
    }
    Files.writeString(data.resolve('module.txt'), 'scratch-it-module-' + module + '\n')
}
return true

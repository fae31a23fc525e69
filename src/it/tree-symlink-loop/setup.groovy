// Links git cannot hold. Followed, each of them would make the walk of the tree endless.
import java.nio.file.Files
import java.nio.file.Path

Path tree = basedir.toPath().resolve('tree')
Files.createDirectories(tree.resolve('dir'))
def link = { String name, String target -> Files.createSymbolicLink(tree.resolve(name), Path.of(target)) }
link('loop-self', 'loop-self')
link('loop-a', 'loop-b')
link('loop-b', 'loop-a')
link('dir/back', '..')
link('dir/here', '.')
link('dir/root', tree.toAbsolutePath().toString())
return true

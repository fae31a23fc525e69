// Makes what git cannot hold: host modes that must not reach the image, symbolic links (inside the tree, out of
// it, dangling), an empty directory, excluded files, and a secret outside the tree that must never be copied.
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

Path base = basedir.toPath()
Path rootfs = base.resolve('rootfs')

def write = { String relative, String text, String permissions ->
    Path file = base.resolve(relative)
    Files.createDirectories(file.parent)
    Files.writeString(file, text)
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions))
}
def chmod = { String relative, String permissions ->
    Files.setPosixFilePermissions(base.resolve(relative), PosixFilePermissions.fromString(permissions))
}
def link = { String relative, String target ->
    Files.createSymbolicLink(base.resolve(relative), Path.of(target))
}

// Executable by the owner, whatever else: 0755 in the image. Not executable by the owner: 0644.
chmod('rootfs/bin/tool.sh', 'rwx------')
write('rootfs/bin/helper', '#!/bin/sh\necho helper\n', 'rwxrwxr-x')
chmod('rootfs/etc/motd', 'rw-rw-r--')
chmod('rootfs/etc/private.conf', 'rw-------')
chmod('rootfs/share/doc/readme.txt', 'r--r--r--')
write('rootfs/share/private-dir/data.txt', 'data\n', 'rw-r-----')
chmod('rootfs/share/private-dir', 'rwx------')
Files.createDirectories(rootfs.resolve('var/lib/empty'))
chmod('rootfs/var/lib/empty', 'rwxr-x---')
chmod('app.conf', 'rw-------')

// Excluded by **/*.bak, at the top and deeper down.
write('rootfs/etc/old.bak', 'old\n', 'rw-r--r--')
write('rootfs/share/doc/deep/notes.bak', 'notes\n', 'rw-r--r--')

// Outside the tree: must never be read into the layer, even through a link.
write('outside/secret.txt', 'TOP-SECRET-7f3a9c: this must never reach a layer\n', 'rw-r--r--')

link('rootfs/bin/run', 'tool.sh')
link('rootfs/share/doc/README', 'readme.txt')
link('rootfs/etc/leak', '../../outside/secret.txt')
link('rootfs/etc/leak-abs', base.resolve('outside/secret.txt').toAbsolutePath().toString())
link('rootfs/etc/dangling', 'does-not-exist')
link('rootfs/lib', '../outside')
return true

import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Readable by nobody: only root's capabilities could read it, and the broken build runs without them.
File secret = new File(basedir, 'secret.conf')
secret.setText('password=hunter2\n', 'UTF-8')
Files.setPosixFilePermissions(secret.toPath(), PosixFilePermissions.fromString('---------'))
tools.javaHomeObeyingPermissions('jdk-obeying-permissions')
return true

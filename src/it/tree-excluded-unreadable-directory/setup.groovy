import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File key = new File(basedir, 'tree/private/key')
key.parentFile.mkdirs()
key.setText('PRIVATE-KEY-91ac\n', 'UTF-8')
Files.setPosixFilePermissions(key.parentFile.toPath(), PosixFilePermissions.fromString('---------'))
tools.javaHomeObeyingPermissions('jdk-obeying-permissions')
return true

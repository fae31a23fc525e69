import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File secret = new File(basedir, 'tree/private/key')
secret.parentFile.mkdirs()
secret.setText('-----BEGIN PRIVATE KEY-----\n', 'UTF-8')
Files.setPosixFilePermissions(secret.parentFile.toPath(), PosixFilePermissions.fromString('---------'))
tools.javaHomeObeyingPermissions('jdk-obeying-permissions')
return true

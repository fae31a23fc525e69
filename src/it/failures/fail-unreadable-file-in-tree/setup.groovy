import java.nio.file.Files
import java.nio.file.attribute.PosixFilePermissions

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File shadow = new File(basedir, 'tree/etc/shadow')
shadow.setText('root:*:19000:0:99999:7:::\n', 'UTF-8')
Files.setPosixFilePermissions(shadow.toPath(), PosixFilePermissions.fromString('---------'))
tools.javaHomeObeyingPermissions('jdk-obeying-permissions')
return true

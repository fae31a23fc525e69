import java.net.StandardProtocolFamily
import java.net.UnixDomainSocketAddress
import java.nio.channels.ServerSocketChannel

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

new File(basedir, 'tree/run').mkdirs()
// Binding makes the socket file; closing the channel leaves it there.
ServerSocketChannel.open(StandardProtocolFamily.UNIX).withCloseable {
    it.bind(UnixDomainSocketAddress.of(new File(basedir, 'tree/run/app.sock').toPath()))
}
return true

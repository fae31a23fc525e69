import java.nio.ByteBuffer
import java.nio.ByteOrder

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The 64-byte header of a static ELF64 little-endian executable for e_machine 183 (EM_AARCH64), no segments.
ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
header.put([0x7f, 'E' as char, 'L' as char, 'F' as char, 2, 1, 1, 0] as byte[])
header.putShort(16, 2 as short)      // e_type ET_EXEC
header.putShort(18, 183 as short)    // e_machine EM_AARCH64
header.putInt(20, 1)                 // e_version
header.putShort(52, 64 as short)     // e_ehsize
header.putShort(54, 56 as short)     // e_phentsize
new File(basedir, 'arm64-program').bytes = header.array()
return true

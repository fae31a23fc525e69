import java.nio.ByteBuffer
import java.nio.ByteOrder

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// The 64-byte header of an ELF64 little-endian x86-64 executable with one program header at offset 64, where
// the file ends.
ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
header.put([0x7f, 'E' as char, 'L' as char, 'F' as char, 2, 1, 1, 0] as byte[])
header.putShort(16, 2 as short)      // e_type ET_EXEC
header.putShort(18, 62 as short)     // e_machine EM_X86_64
header.putInt(20, 1)                 // e_version
header.putLong(32, 64)               // e_phoff
header.putShort(52, 64 as short)     // e_ehsize
header.putShort(54, 56 as short)     // e_phentsize
header.putShort(56, 1 as short)      // e_phnum
new File(basedir, 'truncated-program').bytes = header.array()
return true

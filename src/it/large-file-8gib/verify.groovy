// The 8 GiB + 1 byte file went through a 256 MiB heap; its size needs a PAX record (ustar's octal size field
// stops at 8 GiB - 1). GNU tar and umoci must read it back with the right size and last byte.
import java.util.zip.GZIPInputStream

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

long size = (8L << 30) + 1
File oci = new File(basedir, 'target/oci')
Map index = new groovy.json.JsonSlurper().parse(new File(oci, 'index.json')) as Map
Map manifest = new groovy.json.JsonSlurper().parse(tools.blob(oci, index.manifests[0].digest as String)) as Map
File layer = tools.blob(oci, manifest.layers[0].digest as String)
assert layer.length() == (manifest.layers[0].size as long)
assert layer.length() < 64L * 1024 * 1024: 'zeros compress well: the blob should be small'

// The headers, read by hand: a PAX 'x' header with exactly "size=8589934593" before the file's ustar header.
new GZIPInputStream(new FileInputStream(layer), 1 << 16).withStream { InputStream tar ->
    byte[] block = new byte[512]
    Map<String, String> pending = [:]
    boolean found = false
    while (!found) {
        assert tar.readNBytes(block, 0, 512) == 512
        String name = new String(block, 0, 100, 'US-ASCII').replaceAll('\u0000.*', '')
        char type = (char) block[156]
        String octal = new String(block, 124, 11, 'US-ASCII')
        long length = octal.trim() ? Long.parseLong(octal.trim(), 8) : 0
        if (type == 'x' as char) {
            byte[] records = tar.readNBytes((int) length)
            tar.skipNBytes((512 - length % 512) % 512)
            new String(records, 'UTF-8').split('\n').each { String record ->
                String keyValue = record.substring(record.indexOf(' ') + 1)
                pending[keyValue.substring(0, keyValue.indexOf('='))] = keyValue.substring(keyValue.indexOf('=') + 1)
            }
        } else if (name == 'data/big.bin') {
            assert pending == [size: size.toString()]: "PAX records $pending"
            assert length == 0: 'the ustar size field of a PAX-sized entry holds 0'
            found = true
        } else {
            assert pending.isEmpty()
            tar.skipNBytes(length + (512 - length % 512) % 512)
        }
    }
}

if (tools.require('list the layer with GNU tar', 'tar')) {
    Map entries = tools.listLayer(layer, true)
    assert entries['data/big.bin'].size == size
}
if (tools.require('unpack the layer with umoci', 'umoci')) {
    File bundle = tools.unpack(oci, 'latest', 'bundle')
    try {
        File big = new File(bundle, 'rootfs/data/big.bin')
        assert big.length() == size
        RandomAccessFile read = new RandomAccessFile(big, 'r')
        try {
            read.seek(size - 1)
            assert read.read() == 0x78 // 'x'
        } finally {
            read.close()
        }
    } finally {
        tools.deleteTree(bundle)
    }
}
// Not left behind: 8 GiB of blob-sized zeros in target/ would fill small CI disks.
new File(basedir, 'big.bin').delete()
return true

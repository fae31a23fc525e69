// A sparse file of 8 GiB + 1 byte (it takes no disk space here), ending in 'x' so that the last byte is checked.
RandomAccessFile file = new RandomAccessFile(new File(basedir, 'big.bin'), 'rw')
try {
    file.setLength((8L << 30) + 1)
    file.seek((8L << 30))
    file.write(0x78) // 'x'
} finally {
    file.close()
}
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Random bytes do not compress: the layer is as large as the file.
byte[] bytes = new byte[6 * 1024 * 1024]
new Random(6).nextBytes(bytes)
new File(basedir, 'big.bin').bytes = bytes
tools.javaHomeWithFileSizeLimit('jdk-with-4-mib-files', 4096)
return true

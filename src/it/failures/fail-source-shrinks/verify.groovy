def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File link = new File(basedir, 'shrinking.conf')
int length = link.bytes.length
String error = tools.assertBuildError(link.absolutePath
        + " changed while the layer was written: expected 4096 bytes, found $length", true)
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

try {
    Map layout = tools.checkLayout(new File(basedir, 'target/oci'))
    byte[] tar = tools.layerTar(layout.layer)
    assert tools.contains(tar, 'Welcome.')
    assert !tools.contains(tar, 'private')
} finally {
    new File(basedir, 'tree/private').setReadable(true, true)
    new File(basedir, 'tree/private').setExecutable(true, true)
}
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

try {
    String error = tools.assertRejected('<directories>/<directory>[1]/<source>', 'tree')
    String held = new File(basedir, 'tree/private').absolutePath
    assert error.contains('holds ' + held + ', which the build user cannot read'): error
    assert error.contains('<excludes>'): error
} finally {
    // Listable again, so that the next build can clean the folder even when not run as root.
    new File(basedir, 'tree/private').setExecutable(true, true)
    new File(basedir, 'tree/private').setReadable(true, true)
}
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File tree = new File(basedir, 'tree').canonicalFile
try {
    String error = tools.assertRejected('<directories>/<directory>[1]/<source>', 'tree')
    String held = tree.absolutePath + '/etc/\uFFFDname'
    assert error.contains('holds ' + held + ', whose name or link target is not valid'): error
    assert error.contains('<excludes>') && error.contains('LANG=C.UTF-8'): error
} finally {
    tools.deleteTree(tree)
}
return true

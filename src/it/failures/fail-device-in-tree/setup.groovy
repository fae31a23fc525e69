def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

new File(basedir, 'tree/dev').mkdirs()
tools.run([tools.path('mknod'), new File(basedir, 'tree/dev/null').absolutePath, 'c', '1', '3'])
return true

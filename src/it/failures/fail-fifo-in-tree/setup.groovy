def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

new File(basedir, 'tree/run').mkdirs()
tools.run([tools.path('mkfifo'), new File(basedir, 'tree/run/app.fifo').absolutePath])
return true

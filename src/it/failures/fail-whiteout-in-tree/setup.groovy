def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

new File(basedir, 'tree/etc/.wh.motd').setText('a whiteout would delete /etc/motd\n', 'UTF-8')
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

tools.javaHomeObeyingPermissions('jdk-obeying-permissions')
return true

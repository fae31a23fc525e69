def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<outputTimestamp> (project.build.outputTimestamp)', 'yesterday')
assert error.contains('is not a timestamp'): error
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<compressionLevel>', '10')
assert error.contains('is not a level of gzip'): error
assert error.contains('from 1 to 9 (default 6)'): error
return true

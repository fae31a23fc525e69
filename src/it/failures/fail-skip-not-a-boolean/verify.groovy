def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<skip> (scratch.skip)', 'yes')
assert error.contains('"yes" is not true or false. Fix: write true or false'): error
assert !tools.buildLog().contains('Skipping scratch:build')
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<binaries>/<binary>[1]/<layer>', 'App!')
assert error.contains('is not a layer name'): error
// the fix says what a name is made of
assert error.contains('lowercase letters and digits') && error.contains('64'): error
// The valid build put the script into the layer app.
Map layout = tools.checkLayout(tools.layoutDir())
assert layout.config.history*.comment == ['app']
return true

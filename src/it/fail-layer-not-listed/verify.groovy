def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

String error = tools.assertRejected('<files>/<file>[2]/<layer>', 'settings')
assert error.contains('is a layer that <layers> does not list'): error
assert error.contains('Fix: add <layer>settings</layer> to <layers>'): error
assert !error.contains('<symlinks>'): "the error must name the first element that uses the name: $error"
// The valid build: libraries, listed but empty, is not in the image; one layer, config.
Map layout = tools.checkLayout(tools.layoutDir())
assert layout.config.history*.comment == ['config']
return true

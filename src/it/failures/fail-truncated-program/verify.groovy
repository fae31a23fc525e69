def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File program = new File(basedir, 'truncated-program')
String error = tools.assertRejected('<binaries>/<binary>[1]', program.absolutePath)
assert error.contains('starts like an ELF file but cannot be read: ' + program.absolutePath
        + ' is not a readable ELF file: program header 0 lies beyond the end of the file (truncated?)'): error
assert error.contains('<resolveLibraries>false</resolveLibraries>'): error
return true

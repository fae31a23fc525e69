def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// <libraries> with no program to take the architecture from: the platform must name an ELF machine.
String error = tools.assertRejected('<platform>', 'linux/mips64')
assert error.contains('has no ELF machine to resolve <libraries> for'): error
return true

def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

File dir = basedir
new File(dir, 'gone.c').setText('int gone(void) { return 42; }\n', 'UTF-8')
new File(dir, 'needs-gone.c').setText('int gone(void);\nint main(void) { return gone() == 42 ? 0 : 1; }\n', 'UTF-8')
new File(dir, 'hello.c').setText('#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n', 'UTF-8')
String gcc = tools.path('gcc')
tools.run([gcc, '-shared', '-fPIC', '-o', 'libgone.so', 'gone.c'])
tools.run([gcc, '-o', 'needs-gone', 'needs-gone.c', '-L.', '-lgone'])
tools.run([gcc, '-o', 'hello', 'hello.c'])
assert new File(dir, 'libgone.so').delete()
return true

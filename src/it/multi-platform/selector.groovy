// Needs the arm64 sysroot that .ci/run prepares, and qemu-user-static registered: fails under CI=true without them,
// else skipped with a warning.
def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

return tools.arm64Sysroot() != null

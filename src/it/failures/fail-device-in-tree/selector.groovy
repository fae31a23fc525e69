def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

// Making a device takes root (CAP_MKNOD): where it is not allowed, the test cannot run, even under CI.
if (!tools.require('make a device file', 'mknod')) {
    return false
}
File probe = new File(basedir, 'probe-device')
Map made = tools.exec([tools.path('mknod'), probe.absolutePath, 'c', '1', '3'])
probe.delete()
if (made.exit != 0) {
    tools.warn("SKIPPED TEST: ${basedir.name}: this user may not make device files: ${made.out.trim()}")
    return false
}
return true

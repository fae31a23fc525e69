def tools = new GroovyClassLoader(getClass().classLoader)
        .parseClass(new File(itRoot, 'tools/Tools.groovy')).newInstance(basedir)

try {
    // The staging folder could not be made, so nothing else was tried; the cause says why, and there is a fix.
    String error = tools.assertBuildError(new File(tools.layoutDir(), '.scratch-staging').absolutePath + ': permission denied', false)
    assert error.contains('Fix: check that the build user can read the sources and write the folder'): error
} finally {
    // Writable again, so that the next build can clean the folder even when not run as root.
    [tools.layoutDir(), tools.snapshotDir()].each { File layout ->
        ['', 'blobs', 'blobs/sha256'].each { new File(layout, it).setWritable(true, true) }
    }
}
return true

// The help lists every parameter of scratch:build with its javadoc, default and user property, and builds nothing.
String log = new File(basedir, 'build.log').text
assert log.contains('scratch:build\n  Builds a from-scratch container image'): 'no description of scratch:build'
assert log.contains('    compression (Default: gzip)\n      The compression of the layers: gzip')
assert log.contains('      User property: scratch.compression\n')
assert log.contains('    compressionLevel\n')
assert log.contains('      User property: scratch.compressionLevel\n')
assert log.contains('    outputDirectory (Default: ${project.build.directory}/oci)\n')
assert !log.contains('\n    basedir'): 'a read-only parameter is listed'
assert !new File(basedir, 'target/oci').exists()
return true

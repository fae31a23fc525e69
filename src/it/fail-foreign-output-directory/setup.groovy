// A folder that holds something the plugin did not write: it must be refused and left exactly as it is.
File precious = new File(basedir, 'precious')
precious.mkdirs()
new File(precious, 'notes.txt').setText('my notes, not an OCI layout\n', 'UTF-8')
return true

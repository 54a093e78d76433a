import java.util.zip.ZipFile

// The bundle a node accepts: exactly the descriptor and the project's jar named after the release.
def bundle = new File(basedir, 'target/bank-1.0.0.molt')
assert bundle.isFile() : "no bundle at ${bundle}"
def zip = new ZipFile(bundle)
def entries = zip.entries().collect { it.name }
assert entries == ['lib/', 'lib/bank-1.0.0.jar', 'molt-release.json'] : "bundle entries ${entries}"
// project.build.outputTimestamp fixes the entries' time: the same code gives the same bundle.
def times = zip.entries().collect { it.timeLocal.toString() }.unique()
assert times == ['2026-01-01T00:00'] : "entry times ${times}"
assert zip.getInputStream(zip.getEntry('molt-release.json')).text ==
    new File(basedir, 'src/main/bundle/molt-release.json').text : 'descriptor not copied byte for byte'
def jar = File.createTempFile('bank', '.jar')
jar.bytes = zip.getInputStream(zip.getEntry('lib/bank-1.0.0.jar')).bytes
zip.close()
def classes = new ZipFile(jar).withCloseable { j -> j.entries().collect { it.name } }
assert classes.contains('com/example/bank/Account.class') : "behaviour missing from the jar: ${classes}"
assert !classes.any { it.startsWith('dev/molt/') || it.startsWith('akka/') } : 'Molt or Akka bundled'

// Attached as type molt: install put it beside the jar.
def installed = new File(localRepositoryPath, 'com/example/bank/1.0.0/bank-1.0.0.molt')
assert installed.isFile() : "bundle not installed at ${installed}"
assert installed.bytes == bundle.bytes

def log = new File(basedir, 'build.log').text
assert log.contains('molt bundle bank-1.0.0: 1 behaviour(s), 1 jar(s)') : 'no summary line in build.log'
return true

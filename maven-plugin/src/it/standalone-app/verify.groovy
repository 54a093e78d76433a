import java.security.KeyFactory
import java.security.MessageDigest
import java.security.Signature
import java.security.spec.X509EncodedKeySpec
import java.util.zip.ZipFile

// The bundle a node accepts: exactly the descriptor, the project's jar named after the release, and its signature.
def bundle = new File(basedir, 'target/bank-1.0.0.molt')
assert bundle.isFile() : "no bundle at ${bundle}"
def zip = new ZipFile(bundle)
def entries = zip.entries().collect { it.name }
assert entries == ['lib/', 'lib/bank-1.0.0.jar', 'molt-release.json', 'molt-signature.json'] : "bundle entries ${entries}"
// project.build.outputTimestamp fixes the entries' time: the same code gives the same bundle.
def times = zip.entries().collect { it.timeLocal.toString() }.unique()
assert times == ['2026-01-01T00:00'] : "entry times ${times}"
assert zip.getInputStream(zip.getEntry('molt-release.json')).text ==
    new File(basedir, 'src/main/bundle/molt-release.json').text : 'descriptor not copied byte for byte'
// The signature verifies by the format docs/bundles.md#signing gives, computed here without Molt's code:
// SHA-256 over each other entry (UTF-8 name, a 0 byte, SHA-256 of its bytes) in unsigned name order.
def sha = { byte[] bytes -> MessageDigest.getInstance('SHA-256').digest(bytes) }
def signed = zip.entries().findAll { it.name != 'molt-signature.json' }
    .collect { e -> [e.name.getBytes('UTF-8'), sha(zip.getInputStream(e).bytes)] }
    .sort { a, b -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]) }
def total = MessageDigest.getInstance('SHA-256')
signed.each { total.update((byte[]) it[0]); total.update((byte) 0); total.update((byte[]) it[1]) }
def digest = total.digest().encodeHex().toString()
def signature = new groovy.json.JsonSlurper().parse(zip.getInputStream(zip.getEntry('molt-signature.json')))
assert signature.algorithm == 'Ed25519' && signature.digest == digest : "signature entry ${signature}, digest ${digest}"
def pem = new File(basedir, 'target/signing/molt-signing.pub').readLines()
def der = pem.findAll { !it.startsWith('-----') }.join('').decodeBase64()
assert signature.keyId == sha(der)[0..7].collect { String.format('%02x', it & 0xff) }.join('') : "key id ${signature.keyId}"
def ed = Signature.getInstance('Ed25519')
ed.initVerify(KeyFactory.getInstance('Ed25519').generatePublic(new X509EncodedKeySpec(der)))
ed.update("molt-bundle-v1 sha256:${digest}".getBytes('US-ASCII'))
assert ed.verify(signature.signature.decodeBase64()) : 'the signature does not verify'
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
assert log.contains("molt bundle bank-1.0.0: signed with key ${signature.keyId}") : 'no signing line in build.log'
return true

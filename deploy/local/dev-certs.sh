#!/usr/bin/env bash
# A development certificate authority and one PKCS12 key store per node, with the JDK's keytool only.
#
#   deploy/local/dev-certs.sh DIR NAME...
#
# Writes, under DIR (created, owner-only): ca.p12 (the CA's private key: keep it there), ca.pem (the
# CA's certificate: moltctl --cacert, curl --cacert), truststore.p12 (the CA's certificate, for
# every node), NAME.p12 per name (the node's key, its certificate signed by the CA, and the CA's
# certificate), password (of every store in DIR). What exists is reused: a second run only adds
# the names it did not have, so generating is paid once per work dir.
# Each node certificate names 127.0.0.1 and localhost (plus MOLT_TLS_SAN, keytool's san= syntax,
# e.g. "dns:molt.example,ip:10.0.0.5"), and may serve and connect (serverAuth, clientAuth), as
# Artery's mutual authentication needs. Used by cluster.sh and by the cluster tests (TransportSecurityTest).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 DIR NAME..." >&2
  exit 2
fi
dir="$1"; shift
keytool="${JAVA_HOME:+$JAVA_HOME/bin/}keytool"
umask 077
mkdir -p "$dir"
if [ ! -s "$dir/password" ]; then
  head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$dir/password"
fi
pass="$(cat "$dir/password")"
# keytool's chatter is dropped; anything else it says (an error) goes to stderr. A short-lived JVM per call:
# the C1 compiler and the serial collector start it faster on a loaded machine.
kt() {
  "$keytool" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" -storetype PKCS12 -storepass "$pass" 2>&1 \
    | { grep -v -E "^(Certificate (was )?added|Certificate (stored|reply)|Generating|[[:space:]]*for: |$)" >&2 || true; }
  return "${PIPESTATUS[0]}"
}

if [ ! -s "$dir/ca.p12" ]; then
  kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -validity 825 -dname "CN=molt-dev-ca-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    -ext bc:c -ext ku:c=keyCertSign,cRLSign -keystore "$dir/ca.p12"
  rm -f "$dir/ca.pem" "$dir/truststore.p12"
fi
if [ ! -s "$dir/ca.pem" ]; then
  kt -exportcert -rfc -alias ca -keystore "$dir/ca.p12" -file "$dir/ca.pem"
fi
if [ ! -s "$dir/truststore.p12" ]; then
  kt -importcert -noprompt -alias molt-ca -file "$dir/ca.pem" -keystore "$dir/truststore.p12"
fi
san="ip:127.0.0.1,dns:localhost${MOLT_TLS_SAN:+,$MOLT_TLS_SAN}"
for name in "$@"; do
  store="$dir/$name.p12"
  [ -s "$store" ] && continue
  # Built beside the final name and moved in place: an interrupted run leaves no half store to reuse.
  tmp="$dir/.$name.tmp.p12"
  rm -f "$tmp" "$dir/.$name.csr" "$dir/.$name.pem"
  kt -genkeypair -alias node -keyalg RSA -keysize 2048 -validity 825 -dname "CN=$name" -keystore "$tmp"
  kt -certreq -alias node -keystore "$tmp" -file "$dir/.$name.csr"
  kt -gencert -alias ca -keystore "$dir/ca.p12" -infile "$dir/.$name.csr" -outfile "$dir/.$name.pem" -rfc -validity 825 \
    -ext "san=$san" -ext ku:c=digitalSignature,keyEncipherment -ext eku=serverAuth,clientAuth
  kt -importcert -noprompt -alias molt-ca -file "$dir/ca.pem" -keystore "$tmp"
  kt -importcert -alias node -file "$dir/.$name.pem" -keystore "$tmp"
  rm -f "$dir/.$name.csr" "$dir/.$name.pem"
  mv "$tmp" "$store"
done

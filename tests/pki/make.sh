#!/usr/bin/env bash
# Regenerates the test PKI in this folder (committed, so tests need no generation step).
# ca: the trusted root; other-ca: a root nobody trusts; server-rsa / server-ecdsa: for
# localhost, 127.0.0.1 and ::1; expired: a server certificate whose validity ended in 2021;
# client: a client certificate; ca-dir: the CA as a hashed directory.
set -euo pipefail
cd "$(dirname "$0")"
export LD_LIBRARY_PATH= LD_PRELOAD=
days=36500
rm -rf ca-dir *.pem *.srl index.txt* serial* newcerts
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days $days -subj "/CN=ferrossl test CA" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca-key.pem -out other-ca.pem -days $days -subj "/CN=untrusted CA" 2>/dev/null
ext() { printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\nsubjectAltName=%s\n' "$1" "$2"; }
sign() { # name key-args eku san [ca]
    local name=$1 ca=${5:-ca}
    openssl req -new -newkey "$2" -nodes -keyout "$name-key.pem" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
    openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca-key.pem" -CAcreateserial -days $days \
        -out "$name.pem" -extfile <(ext "$3" "$4") 2>/dev/null
    rm -f "$name.csr"
}
sign server-rsa rsa:2048 serverAuth "DNS:localhost,IP:127.0.0.1,IP:::1"
openssl ecparam -name prime256v1 -out ec.param
sign server-ecdsa ec:ec.param serverAuth "DNS:localhost,IP:127.0.0.1,IP:::1"
sign client rsa:2048 clientAuth "DNS:client"
sign untrusted-server rsa:2048 serverAuth "DNS:localhost,IP:127.0.0.1" other-ca
rm -f ec.param
# The expired certificate needs explicit dates, which only 'openssl ca' takes.
mkdir -p newcerts && touch index.txt && echo 1000 > serial
cat > ca.cnf <<CNF
[ca]
default_ca = d
[d]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
policy = p
copy_extensions = copy
[p]
commonName = supplied
CNF
openssl req -new -newkey rsa:2048 -nodes -keyout expired-key.pem -out expired.csr -subj "/CN=expired" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca-key.pem -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20210101000000Z -notext 2>/dev/null
rm -rf expired.csr newcerts index.txt* serial* ca.cnf *.srl
# The client key encrypted with the pass phrase "secret", as PKCS#8 and in the traditional format.
openssl pkey -in client-key.pem -aes256 -passout pass:secret -out client-key-enc.pem
openssl rsa -in client-key.pem -aes128 -traditional -passout pass:secret -out client-key-enc-traditional.pem 2>/dev/null
cat server-rsa.pem ca.pem > server-rsa-chain.pem
mkdir ca-dir && cp ca.pem ca-dir/ && openssl rehash ca-dir
# DH parameters (RFC 7919's ffdhe2048) for DHParameters and SSL_CTX_set_tmp_dh.
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dhparams.pem
printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n' > malformed.pem
echo "test PKI written"

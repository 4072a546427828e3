#!/usr/bin/env bash
# Makes the files of cluster TLS (SENSORS_CLUSTER_TLS=on) in directory $1: a CA (ca.crt, and ca.key
# to sign later certificates; keep it offline), and one certificate for the cluster's nodes
# (tls.crt, tls.key) with subject CN=$2 (default sensors-cluster). Every node gets the same
# tls.key/tls.crt/ca.crt (e.g. one Kubernetes Secret); a peer is accepted only when the CA signed its
# certificate and its subject is the same. With an existing ca.crt/ca.key in $1, only a new node
# certificate is made (rotation). Needs openssl.
#   k8s/cluster-certs.sh ./cluster-tls
#   kubectl -n sensors create secret generic sensors-cluster-tls \
#     --from-file=tls.key=./cluster-tls/tls.key --from-file=tls.crt=./cluster-tls/tls.crt \
#     --from-file=ca.crt=./cluster-tls/ca.crt
set -euo pipefail
dir=${1:?usage: cluster-certs.sh <dir> [subject-cn] [days]}
cn=${2:-sensors-cluster}
days=${3:-365}
mkdir -p "$dir"
cd "$dir"
umask 077
if [ ! -f ca.key ] || [ ! -f ca.crt ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days "$((days * 3))" \
    -subj "/CN=$cn-ca" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
fi
openssl req -newkey rsa:2048 -nodes -keyout tls.key -out tls.csr -subj "/CN=$cn" 2>/dev/null
printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$cn" > tls.ext
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -days "$days" \
  -extfile tls.ext 2>/dev/null
rm -f tls.csr tls.ext ca.srl
chmod 600 tls.key ca.key
chmod 644 tls.crt ca.crt
echo "cluster TLS files in $PWD: ca.crt (ca.key: keep offline), tls.crt, tls.key (CN=$cn, $days days)"

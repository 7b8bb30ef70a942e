# shellcheck shell=bash
# Makes the control plane's credentials with openssl: a CA, kube-apiserver's serving
# certificate, an admin client certificate in system:masters, the service-account signing key,
# and the admin kubeconfig. Fresh on every `up`; EC P-256 keys keep that under a second.
# Sourced by hack/controlplane.sh.

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign NAME SUBJECT EXTENSION...: a key and a certificate signed by the CA, valid 30 days.
sign() {
  new_key "$pki/$1.key"
  openssl req -new -key "$pki/$1.key" -subj "$2" -out "$pki/$1.csr"
  printf '%s\n' "${@:3}" >"$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
  rm -f "$pki/$1.csr" "$pki/$1.ext"
}

make_pki() {
  rm -rf "$pki"
  mkdir -p "$pki"
  chmod 700 "$pki"
  new_key "$pki/ca.key"
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=mta-sts-operator test CA" -days 30 \
    -sha256 -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$pki/ca.crt"
  # 10.0.0.1 is the "kubernetes" Service's address in --service-cluster-ip-range.
  local leaf="basicConstraints=critical,CA:FALSE" usage="keyUsage=critical,digitalSignature"
  local names=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default
  names+=,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
  sign apiserver "/CN=kube-apiserver" "$leaf" "$usage" "extendedKeyUsage=serverAuth" \
    "subjectAltName=$names"
  sign admin "/O=system:masters/CN=admin" "$leaf" "$usage" "extendedKeyUsage=clientAuth"
  new_key "$pki/sa.key"
  openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
}

# The kubeconfig embeds its certificates, as one from a real cluster usually does.
write_kubeconfig() {
  local tmp=$kubeconfig.tmp
  cat >"$tmp" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: mtasts-local
  cluster:
    server: https://127.0.0.1:${apiserver_port}
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(base64 -w0 <"$pki/admin.crt")
    client-key-data: $(base64 -w0 <"$pki/admin.key")
contexts:
- name: mtasts-local
  context:
    cluster: mtasts-local
    user: admin
    namespace: default
current-context: mtasts-local
KUBECONFIG
  chmod 600 "$tmp"
  mv "$tmp" "$kubeconfig"
}

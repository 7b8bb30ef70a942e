# Certificates for the local mail stack, sourced by hack/mailstack.sh (needs its $pki, $state,
# die and say). `make_certs` makes every certificate $state/certs.plan lists, with openssl: a
# throwaway test CA and an untrusted CA (EC P-256, 10 years), then one server certificate per
# plan line, reusing any that was made from the same line and is still in date. Each leaf is
# NAME.crt and NAME.key, and NAME.pem (the two in one file, as nginx reads them). Profiles:
#   good, wrong-name   test CA, 1 year (remade with 30 days left)
#   untrusted          the untrusted CA, 1 year
#   expiring           test CA, 7 days (remade with 3 days left: always under the 14-day horizon)
#   expired            test CA, 2020-01-01 to 2021-01-01
# shellcheck shell=bash disable=SC2154 # pki and state are mailstack.sh's

ca_config() {
  cat >"$pki/ca.cnf" <<EOF
[ca]
default_ca = test_ca
[test_ca]
database = $pki/index.txt
new_certs_dir = $pki/issued
serial = $pki/serial
default_md = sha256
policy = any_name
unique_subject = no
copy_extensions = none
[any_name]
commonName = supplied
EOF
  mkdir -p "$pki/issued"
  touch "$pki/index.txt"
  [[ -s $pki/serial ]] || echo 01 >"$pki/serial"
}

# Each certificate's notAfter (epoch seconds) is kept in NAME.expires when it is made, so a warm
# `up` checks dates with shell arithmetic instead of one openssl run per certificate, and reads
# files with `read`, not $(cat): no fork per certificate (the bench world has one per domain).
valid_for() {
  local expires
  read -r expires 2>/dev/null <"$pki/$1.expires" && ((expires - EPOCHSECONDS > $2))
}

# make_ca NAME: a self-signed CA, kept while it has 60 days left; sets ca_renewed when made.
make_ca() {
  local name=$1
  if [[ -f $pki/$name.crt ]] && valid_for "$name" $((60 * 86400)); then return 0; fi
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/O=mta-sts-operator tests/CN=$name" -keyout "$pki/$name.key" -out "$pki/$name.crt" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    2>"$pki/openssl.log" || die "making $name failed: $(cat "$pki/openssl.log")"
  echo $((EPOCHSECONDS + 3650 * 86400)) >"$pki/$name.expires"
  ca_renewed=1
  say "made $name"
}

# leaf_is_current NAME PROFILE SPEC: the certificate exists, was made from SPEC and is in date.
leaf_is_current() {
  local name=$1 profile=$2 spec=$3 made_from
  [[ -f $pki/$name.crt ]] && read -r made_from 2>/dev/null <"$pki/$name.spec" &&
    [[ $made_from == "$spec" ]] || return 1
  case $profile in
    expired) return 0 ;;
    # Must stay under the 14-day horizon and not lapse: remade when under 3 days are left.
    expiring) valid_for "$name" $((3 * 86400)) ;;
    *) valid_for "$name" $((30 * 86400)) ;;
  esac
}

# make_leaf NAME PROFILE NAMES: a server certificate for the comma-separated DNS NAMES.
make_leaf() {
  local name=$1 profile=$2 names=$3 issuer=test-ca days=365
  local spec="$profile $names"
  if leaf_is_current "$name" "$profile" "$spec"; then
    [[ -f $pki/$name.pem ]] || combine_leaf "$name"
    return 0
  fi
  case $profile in
    good | wrong-name) ;;
    untrusted) issuer=untrusted-ca ;;
    expiring) days=7 ;;
    expired) days=0 ;;
    *) die "certs.plan: $name: unknown certificate profile '$profile'" ;;
  esac
  local ext=("subjectAltName=DNS:${names//,/,DNS:}" "basicConstraints=CA:FALSE"
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth")
  if [[ $profile == expired ]]; then
    # Only `openssl ca` can set a start date in the past: a CSR, then the CA signs it.
    printf '%s\n' "${ext[@]}" >"$pki/$name.ext"
    {
      openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=${name:0:64}" -keyout "$pki/$name.key" -out "$pki/$name.csr" &&
        openssl ca -batch -notext -rand_serial -config "$pki/ca.cnf" -cert "$pki/$issuer.crt" \
          -keyfile "$pki/$issuer.key" -startdate 20200101000000Z -enddate 20210101000000Z \
          -extfile "$pki/$name.ext" -in "$pki/$name.csr" -out "$pki/$name.crt"
    } >"$pki/openssl.log" 2>&1 || die "making certificate $name failed: $(cat "$pki/openssl.log")"
  else
    # Key, request and signature in one process (~20 ms): the bench world has one per domain.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
      -subj "/CN=${name:0:64}" -CA "$pki/$issuer.crt" -CAkey "$pki/$issuer.key" \
      "${ext[@]/#/-addext=}" -keyout "$pki/$name.key" -out "$pki/$name.crt" \
      >"$pki/openssl.log" 2>&1 || die "making certificate $name failed: $(cat "$pki/openssl.log")"
  fi
  # nginx workers run as nobody and read keys at handshake time; these are throwaway test keys.
  chmod 644 "$pki/$name.key"
  combine_leaf "$name"
  echo $((EPOCHSECONDS + days * 86400)) >"$pki/$name.expires"
  echo "$spec" >"$pki/$name.spec"
}

# combine_leaf NAME: NAME.pem, the certificate then its key, the one file nginx reads for a host
# (the production layout: one rename replaces both). Replaced by rename, never rewritten in place.
combine_leaf() {
  cat "$pki/$1.crt" "$pki/$1.key" >"$pki/$1.pem.tmp"
  mv -f "$pki/$1.pem.tmp" "$pki/$1.pem"
}

make_certs() {
  mkdir -p "$pki"
  ca_config
  ca_renewed=0
  make_ca test-ca
  make_ca untrusted-ca
  # A new CA invalidates every certificate issued by the old one.
  if ((ca_renewed)); then rm -f "$pki"/*.spec; fi
  local name profile names
  while read -r name profile names; do
    [[ -n $name ]] || continue
    make_leaf "$name" "$profile" "$names"
  done <"$state/certs.plan"
}

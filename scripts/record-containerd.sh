#!/usr/bin/env bash
# Records what real containerd does with hosts.toml, TLS and auth, through `ctr images pull --hosts-dir`
# and through the CRI PullImage call, and writes the observations as conformance scenarios
# (test/conformance-containerd/) plus raw recordings (test/fixtures/containerd-recorded/).
#
# Debian 12, as root. Everything runs in a private mount namespace: /etc/containerd, /etc/hosts and
# /etc/resolv.conf are bind-mounted from a lab folder, so the node's own files are never touched, every
# registry name maps to 127.0.0.0/8, and a name that is not mapped asks a DNS server on 127.0.0.1 where
# nothing listens (no lookup can leave the machine). The registries, the token server and a private
# containerd daemon (own --root/--state/socket) listen on loopback only and are stopped on exit.
#
# Usage: scripts/record-containerd.sh [--no-install] [--keep]   (LAB=/path to choose the lab folder)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

if [[ ${1:-} != --inside ]]; then
  [[ $(id -u) == 0 ]] || { echo "record-containerd: run as root (it starts containerd and bind-mounts /etc files in a private mount namespace)" >&2; exit 2; }
  if [[ ${1:-} != --no-install ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq -o DPkg::Lock::Timeout=600 containerd docker-registry skopeo apache2-utils openssl >/dev/null
  else
    shift
  fi
  for tool in containerd ctr docker-registry skopeo htpasswd openssl node; do
    command -v "$tool" >/dev/null || { echo "record-containerd: $tool is not installed" >&2; exit 2; }
  done
  exec unshare --mount --propagation private "$0" --inside "$@"
fi
shift
keep=false
[[ ${1:-} == --keep ]] && keep=true

lab=${LAB:-$(mktemp -d /tmp/record-containerd.XXXXXX)}
mkdir -p "$lab"/{etc-containerd/certs.d,logs,pki,storage/full,storage/empty,oci,root,state}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $keep || rm -rf "$lab"
}
trap cleanup EXIT

# ── the lab's view of /etc ───────────────────────────────────────────────────────────────
# Every name the cases use; registry-1.docker.io is sunk to an address where nothing listens.
cat >"$lab/hosts" <<'EOF'
127.0.0.1 localhost
127.0.0.21 plain.test
127.0.0.22 harbor.test wrongname.test
127.0.0.23 auth.test
127.0.0.24 token.test
127.0.0.25 mirror.test
127.0.0.26 empty.test
127.0.0.27 down.test
127.0.0.28 upstream.test
127.0.0.29 registry-1.docker.io
127.0.0.30 flaky.test
127.0.0.31 ratelimited.test
EOF
echo 'nameserver 127.0.0.1' >"$lab/resolv.conf"
mount --bind "$lab/hosts" /etc/hosts
mount --bind "$lab/resolv.conf" /etc/resolv.conf
mount --bind "$lab/etc-containerd" /etc/containerd

# ── PKI: a private CA, a leaf for harbor.test, and the token server's signing certificate ─────
pki=$lab/pki
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=record-containerd lab CA' \
  -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj '/CN=harbor.test' -keyout "$pki/harbor.key" -out "$pki/harbor.csr" 2>/dev/null
printf 'subjectAltName=DNS:harbor.test\nextendedKeyUsage=serverAuth\n' >"$pki/harbor.ext"
openssl x509 -req -in "$pki/harbor.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
  -extfile "$pki/harbor.ext" -out "$pki/harbor.crt" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=record-containerd token signer' \
  -keyout "$pki/token.key" -out "$pki/token.crt" 2>/dev/null
htpasswd -Bbc "$lab/htpasswd" alice wonderland 2>/dev/null

# ── registries (CNCF distribution) ─────────────────────────────────────────────────────────
registry() { # handle addr storage [top-level yaml] [http tls yaml]
  local handle=$1 addr=$2 storage=$3 extra=${4:-} tls=${5:-}
  cat >"$lab/$handle.yml" <<EOF
version: 0.1
log: { level: info, formatter: text, accesslog: { disabled: false } }
storage: { filesystem: { rootdirectory: $lab/storage/$storage } }
http: { addr: "$addr"$tls }
$extra
EOF
  docker-registry serve "$lab/$handle.yml" >"$lab/logs/$handle.log" 2>&1 &
  pids+=($!)
}
registry plain 127.0.0.21:5001 full
registry harbor 127.0.0.22:5443 full '' ", tls: { certificate: $pki/harbor.crt, key: $pki/harbor.key }"
registry auth 127.0.0.23:5002 full "auth: { htpasswd: { realm: basic-realm, path: $lab/htpasswd } }"
registry token 127.0.0.24:5003 full "auth: { token: { realm: \"http://token.test:5004/token\", service: \"token.test:5003\", issuer: record-containerd, rootcertbundle: $pki/token.crt } }"
registry mirror 127.0.0.25:5005 full
registry empty 127.0.0.26:5006 empty
node "$here/record-containerd-token.mjs" 127.0.0.24 5004 "$pki/token.key" "$pki/token.crt" >"$lab/logs/tokensrv.log" 2>&1 &
pids+=($!)
node "$here/record-containerd-status.mjs" 127.0.0.30 5007 503 >"$lab/logs/flaky.log" 2>&1 &
pids+=($!)
node "$here/record-containerd-status.mjs" 127.0.0.31 5008 429 >"$lab/logs/ratelimited.log" 2>&1 &
pids+=($!)

# ── the test image: one layer, built as an OCI layout, pushed through the plain registry ──────
node "$here/record-containerd-image.mjs" "$lab/oci"
wait_port() { for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.2; done; echo "record-containerd: nothing listens on $1:$2" >&2; return 1; }
for ep in 127.0.0.21/5001 127.0.0.22/5443 127.0.0.23/5002 127.0.0.24/5003 127.0.0.24/5004 127.0.0.25/5005 127.0.0.26/5006 127.0.0.30/5007 127.0.0.31/5008; do wait_port "${ep%/*}" "${ep#*/}"; done
for name in tiny public/tiny private/tiny; do
  skopeo copy -q --dest-tls-verify=false "oci:$lab/oci:1" "docker://127.0.0.21:5001/$name:1" >/dev/null
done

# ── the cases; the driver runs a private containerd (own --root, --state and socket under the lab) ──
node "$here/record-containerd.mjs" --lab "$lab" \
  --fixtures "$repo/test/fixtures/containerd-recorded" --scenarios "$repo/test/conformance-containerd" ${ONLY:+--only "$ONLY"}
if $keep; then echo "record-containerd: lab kept in $lab"; fi

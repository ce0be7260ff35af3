#!/usr/bin/env bash
# Installs the Debian packages the test suite needs when they are missing: chromium (Playwright's browser)
# and ovn-central (a real OVN Northbound ovsdb-server for the OVN adapter tests), and the virtual router adapter's
# router host: sshd (the test's SSH server), iproute2, nftables, dnsmasq, haproxy, busybox (udhcpc in the "VM"
# namespaces) and ping. Idempotent; quiet when all present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ovsdb-server >/dev/null 2>&1 || need+=(openvswitch-common)
{ command -v ovn-nbctl >/dev/null 2>&1 && [ -f /usr/share/ovn/ovn-nb.ovsschema ]; } || need+=(ovn-central ovn-common)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v dnsmasq >/dev/null 2>&1 || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || need+=(nftables)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
command -v busybox >/dev/null 2>&1 || need+=(busybox)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "system-deps: installing ${need[*]} from Debian packages"
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: cannot install ${need[*]}: not root. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${need[*]}: apt-get not found (this script supports Debian/Ubuntu)." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq; then
  echo "system-deps: apt-get update failed: is the Debian mirror reachable?" >&2
  exit 1
fi
if ! apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/netplane-system-deps.log 2>&1; then
  echo "system-deps: apt-get install ${need[*]} failed; see /tmp/netplane-system-deps.log" >&2
  tail -20 /tmp/netplane-system-deps.log >&2
  exit 1
fi
echo "system-deps: installed ${need[*]}"

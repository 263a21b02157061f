#!/bin/sh
# Checks a Debian kernel package's modules with objcheck --stackval, as
# the held-out distribution set of difftest/distro/README.md was checked:
# fetches linux-image-VERSION for ARCH (arm64, ppc64el), unpacks it into
# WORK/ARCH, lists every module, runs objcheck over all of them in one
# call, and prints the warnings counted by message.
#
#   difftest/distro/run.sh arm64   [VERSION]   (default 6.12.118+deb12)
#   difftest/distro/run.sh ppc64el [VERSION]
#
# WORK (default /tmp/distro) keeps the package, the tree, ARCH.list and
# ARCH.warn. Fetching needs the architecture known to dpkg:
# dpkg --add-architecture ARCH && apt-get update (run as root).
set -eu
arch=${1:?usage: run.sh arm64|ppc64el [version]}
version=${2:-6.12.118+deb12}
work=${WORK:-/tmp/distro}
here=$(cd "$(dirname "$0")/../.." && pwd)
case $arch in
arm64) pkg=linux-image-$version-arm64-unsigned ;;
ppc64el) pkg=linux-image-$version-powerpc64le ;;
*) echo "run.sh: no package name for $arch" >&2; exit 2 ;;
esac
mkdir -p "$work/$arch"
cd "$work"
ls "${pkg}"_*_"$arch".deb > /dev/null 2>&1 || apt-get download "$pkg:$arch"
[ -d "$arch/lib" ] || dpkg-deb -x "${pkg}"_*_"$arch".deb "$arch"
find "$arch" -name '*.ko.xz' -exec xz -d {} +
find "$arch" -name '*.ko' | sort > "$arch.list"
go build -C "$here" -o "$work/objcheck" ./cmd/objcheck
# One call, all modules: objcheck checks them in parallel, prints in order.
xargs "$work/objcheck" --stackval < "$arch.list" > /dev/null 2> "$arch.warn" || true
echo "$(wc -l < "$arch.list") modules, $(grep -c 'warning:' "$arch.warn" || true) warnings"
sed -n 's/.*warning: objtool: [^ ]*: //p; s/.*warning: objtool: \([^ ]*()\) /\1 /p' "$arch.warn" |
	sed 's/^[^ ]*() //' | sort | uniq -c | sort -rn

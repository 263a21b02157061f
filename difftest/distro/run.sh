#!/bin/sh
# Checks a Debian kernel package's modules, as the held-out distribution
# set of difftest/distro/README.md was checked: fetches linux-image-VERSION
# for ARCH, unpacks it into WORK/ARCH and lists every module.
#
# arm64 and ppc64el: runs objcheck --stackval over all modules in one call
# and prints the warnings counted by message.
#
# amd64: runs the real objtool and objcheck on each module with the
# arguments kbuild gives a module of an IBT kernel (ibt) and of one
# without (plain), --dry-run, and prints every module whose output or exit
# status differ; it also lays out every 8th module as a corpus folder,
# WORK/amd64-mutants, for the NOP mutants of difftest's TestDifferentialX86:
#   OBJCHECK_MUTANT_DIRS=WORK/amd64-mutants go test -run TestDifferentialX86 ./difftest
#
#   difftest/distro/run.sh arm64|ppc64el|amd64   [VERSION]   (default 6.12.118+deb12)
#
# FLAVOUR picks another kernel of the release (give it a WORK of its own):
# rt-arm64, arm64-16k, cloud-arm64, powerpc64le-64k, rt-amd64, cloud-amd64;
# the default is the arch's plain one (arm64, powerpc64le, amd64).
#
# WORK (default /tmp/distro) keeps the package, the tree, ARCH.list and
# ARCH.warn. Fetching a foreign architecture needs it known to dpkg:
# dpkg --add-architecture ARCH && apt-get update (run as root). OBJTOOL
# names the reference objtool (linux-kbuild-6.12.117+deb12's).
set -eu
arch=${1:?usage: run.sh arm64|ppc64el|amd64 [version]}
version=${2:-6.12.118+deb12}
work=${WORK:-/tmp/distro}
here=$(cd "$(dirname "$0")/../.." && pwd)
objtool=${OBJTOOL:-/usr/lib/linux-kbuild-6.12.117+deb12/tools/objtool/objtool.real-x86}
case $arch in
arm64) pkg=linux-image-$version-${FLAVOUR:-arm64}-unsigned ;;
ppc64el) pkg=linux-image-$version-${FLAVOUR:-powerpc64le} ;;
amd64) pkg=linux-image-$version-${FLAVOUR:-amd64}-unsigned ;;
*) echo "run.sh: no package name for $arch" >&2; exit 2 ;;
esac
mkdir -p "$work/$arch"
cd "$work"
ls "${pkg}"_*_"$arch".deb > /dev/null 2>&1 || apt-get download "$pkg:$arch"
[ -d "$arch/lib" ] || dpkg-deb -x "${pkg}"_*_"$arch".deb "$arch"
find "$arch" -name '*.ko.xz' -exec xz -d {} +
find "$arch" -name '*.ko' | sort > "$arch.list"
go build -C "$here" -o "$work/objcheck" ./cmd/objcheck

if [ "$arch" = amd64 ]; then
	common="--hacks=jump_label --hacks=noinstr --hacks=skylake --orc --retpoline --rethunk --static-call --uaccess --prefix=16"
	for set in ibt plain; do
		args="$common --module"
		[ $set = ibt ] && args="$common --ibt --link --module"
		# shellcheck disable=SC2016 # expanded by the inner sh
		# sh -c's $0 is objtool, $1 objcheck, $2 the arguments, $3 the module.
		xargs -P2 -n1 sh -c 'a=$("$0" $2 --dry-run "$3" 2>&1); ra=$?
			b=$("$1" $2 --dry-run "$3" 2>&1); rb=$?
			[ "$a" = "$b" ] && [ $ra = $rb ] || echo "$3: status $ra and $rb, or other output"' \
			"$objtool" "$work/objcheck" "$args" < "$arch.list" > "$arch.$set.diff" || true
		echo "$set: $(wc -l < "$arch.list") modules, $(wc -l < "$arch.$set.diff") differ from objtool"
	done
	mut=$work/amd64-mutants
	rm -rf "$mut" && mkdir -p "$mut"
	awk 'NR % 8 == 0' "$arch.list" | while read -r ko; do
		rel=${ko#"$arch"/}
		mkdir -p "$mut/$(dirname "$rel")" && cp "$ko" "$mut/$rel"
		for a in $common --ibt --link --module; do echo "$a"; done > "$mut/$rel.args"
		: > "$mut/$rel.ref" && echo 0 > "$mut/$rel.rc"
		printf '%s\tc\t%s\n' "$rel" "$rel" >> "$mut/MANIFEST"
	done
	echo "mutant folder: $mut ($(wc -l < "$mut/MANIFEST") modules)"
	exit 0
fi

# One call, all modules: objcheck checks them in parallel, prints in order.
xargs "$work/objcheck" --stackval < "$arch.list" > /dev/null 2> "$arch.warn" || true
echo "$(wc -l < "$arch.list") modules, $(grep -c 'warning:' "$arch.warn" || true) warnings"
sed -n 's/.*warning: objtool: [^ ]*: //p; s/.*warning: objtool: \([^ ]*()\) /\1 /p' "$arch.warn" |
	sed 's/^[^ ]*() //' | sort | uniq -c | sort -rn

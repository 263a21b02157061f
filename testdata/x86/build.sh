#!/bin/sh
# Rebuilds the x86-64 fixtures: for every X.S here, X.o and its listing
# X.lst (which the checktest harness reads to map source lines to offsets).
#
#   testdata/x86/build.sh            assemble only
#   testdata/x86/build.sh --verify   also run the real objtool 6.12 on each
#                                    object and record its stderr in X.o.ref
#                                    and its exit status in X.o.rc
#
# objtool is run from the repository root on testdata/x86/X.o, so that is
# the object path in the .ref lines. Its arguments are the fixture's first
# line ("# objtool: ARGS") plus --dry-run, so that the object is never
# rewritten. Set OBJTOOL to choose the binary (default: Debian's
# linux-kbuild-6.12 objtool.real-x86) and AS to choose the assembler.
set -eu

cd "$(dirname "$0")/../.."

if [ -z "${AS:-}" ]; then
	if command -v x86_64-linux-gnu-as >/dev/null 2>&1; then
		AS=x86_64-linux-gnu-as
	else
		AS=as
	fi
fi

verify=false
case "${1:-}" in
--verify) verify=true ;;
"") ;;
*) echo "usage: $0 [--verify]" >&2; exit 2 ;;
esac

if $verify; then
	if [ -z "${OBJTOOL:-}" ]; then
		for f in /usr/lib/linux-kbuild-6.12*/tools/objtool/objtool.real-x86; do
			OBJTOOL=$f
		done
	fi
	if [ ! -x "${OBJTOOL:-}" ]; then
		echo "$0: no objtool; set OBJTOOL" >&2
		exit 1
	fi
fi

for src in testdata/x86/*.S; do
	base=${src%.S}
	"$AS" --64 -alnd="$base.lst" -o "$base.o" "$src"
	$verify || continue

	args=$(sed -n '1s/^# objtool: //p' "$src")
	if [ -z "$args" ]; then
		echo "$src: the first line must be '# objtool: ARGS'" >&2
		exit 1
	fi
	rc=0
	# $args is split on purpose.
	# shellcheck disable=SC2086
	"$OBJTOOL" $args --dry-run "$base.o" 2>"$base.o.ref" || rc=$?
	echo "$rc" >"$base.o.rc"
done

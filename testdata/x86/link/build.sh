#!/bin/sh
# Rebuilds the linked x86-64 fixtures. Each directory X here holds the
# sources of one: every X/*.S is assembled, with its listing X/*.lst, and
# the objects are linked in name order into X.o as kbuild links vmlinux.o
# (ld -m elf_x86_64 -r), the linker's map going to X.map. The checktest
# harness reads the listings and the map to find where each source line
# landed in X.o. The objects of the sources are removed once linked.
#
#   testdata/x86/link/build.sh            assemble and link only
#   testdata/x86/link/build.sh --verify   also run the real objtool 6.12 on
#                                         each X.o and record its stderr in
#                                         X.o.ref and its exit status in
#                                         X.o.rc
#
# objtool is run from the repository root on testdata/x86/link/X.o, so that
# is the object path in the .ref lines. Its arguments are the first line
# of X's first source ("# objtool: ARGS") plus --dry-run, so that the
# object is never rewritten. Set OBJTOOL to choose the binary (default:
# Debian's linux-kbuild-6.12 objtool.real-x86), AS and LD the assembler
# and the linker.
set -eu

cd "$(dirname "$0")/../../.."

if [ -z "${AS:-}" ]; then
	if command -v x86_64-linux-gnu-as >/dev/null 2>&1; then
		AS=x86_64-linux-gnu-as
	else
		AS=as
	fi
fi
if [ -z "${LD:-}" ]; then
	if command -v x86_64-linux-gnu-ld >/dev/null 2>&1; then
		LD=x86_64-linux-gnu-ld
	else
		LD=ld
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

link=testdata/x86/link
for dir in "$link"/*/; do
	name=$(basename "$dir")
	objs=
	for src in "$link/$name"/*.S; do
		base=${src%.S}
		"$AS" --64 -alnd="$base.lst" -o "$base.o" "$src"
		objs="$objs $name/$(basename "$base").o"
	done
	# Linked from inside $link, so that the map names the objects
	# relative to itself. $objs is split on purpose.
	# shellcheck disable=SC2086
	(cd "$link" && "$LD" -m elf_x86_64 -r -M -o "$name.o" $objs >"$name.map")
	rm -f "$link/$name"/*.o
	$verify || continue

	first=$(ls "$link/$name"/*.S | head -n 1)
	args=$(sed -n '1s/^# objtool: //p' "$first")
	if [ -z "$args" ]; then
		echo "$first: the first line must be '# objtool: ARGS'" >&2
		exit 1
	fi
	rc=0
	# shellcheck disable=SC2086
	"$OBJTOOL" $args --dry-run "$link/$name.o" 2>"$link/$name.o.ref" || rc=$?
	echo "$rc" >"$link/$name.o.rc"
done

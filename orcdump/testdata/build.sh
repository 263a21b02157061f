#!/bin/sh
# Rebuilds the fixtures of package orcdump and records what the real
# objtool 6.12 prints for each with --dump=orc: for every case X, X.dump
# (its stdout), X.ref (its stderr) and X.rc (its exit status). objtool is
# run here, in testdata, on the bare file name, so that is the path in the
# .ref lines; TestFixtures runs Dump from here too.
#
# Objects with ORC are made the way kbuild makes them, by the real objtool
# with --orc rewriting the object:
#   orc.o              ../../testdata/x86/orc.S assembled, objtool run with
#                      the arguments on its first line: call frames, %rbp
#                      frames, prevsp
#   entry_64_compat.o  arch/x86/entry/entry_64_compat.o of the corpus
#                      (x86-orc.tar.xz), objtool run with kbuild's recorded
#                      arguments: end-of-stack, regs, signal frames
# and from orc.o:
#   linked.elf         linked by ld: an executable whose .orc_unwind_ip holds
#                      resolved offsets and has no relocations, as a vmlinux
#                      built without CONFIG_RELOCATABLE
#   noreloc.o          .rela.orc_unwind_ip removed, .orc_unwind_ip at 0x1000
#   badsize.o          .orc_unwind's sh_size one byte short
#   shortrela.o        .rela.orc_unwind_ip's sh_size one entry short: the
#                      last entry fails after the others are printed
# and without ORC or without a file:
#   plain.o            orc.S assembled, objtool not run
#   notelf.txt         a text file
#   missing.o          no such file
#
#   OBJTOOL  the objtool binary (default: Debian's linux-kbuild-6.12
#            objtool.real-x86)
#   OBJCHECK_SHARED  the shared corpus (default: ../shared beside the
#            repository)
#   AS, LD, OBJCOPY  the binutils (default: as, ld, objcopy)
set -eu

cd "$(dirname "$0")"

if [ -z "${OBJTOOL:-}" ]; then
	for f in /usr/lib/linux-kbuild-6.12*/tools/objtool/objtool.real-x86; do
		OBJTOOL=$f
	done
fi
if [ ! -x "${OBJTOOL:-}" ]; then
	echo "$0: no objtool; set OBJTOOL" >&2
	exit 1
fi
AS=${AS:-as}
LD=${LD:-ld}
OBJCOPY=${OBJCOPY:-objcopy}
shared=${OBJCHECK_SHARED:-../../../shared}
archive=$shared/corpus/linux-6.12/x86-orc.tar.xz
if [ ! -f "$archive" ]; then
	echo "$0: no $archive; set OBJCHECK_SHARED" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# le64 N: N as 8 little-endian bytes, in printf escapes.
le64() {
	n=$1 i=0 s=
	while [ $i -lt 8 ]; do
		s="$s$(printf '\\%03o' $((n % 256)))"
		n=$((n / 256))
		i=$((i + 1))
	done
	printf '%s' "$s"
}

# set_size FILE SECTION DELTA: adds DELTA to SECTION's sh_size in place.
set_size() {
	shoff=$(readelf -h "$1" | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')
	line=$(readelf -S -W "$1" | grep " $2 ")
	idx=$(echo "$line" | sed 's/^ *\[ *\([0-9]*\)\].*/\1/')
	size=$(echo "$line" | awk '{print $6}')
	# shellcheck disable=SC2059 # the format is the escapes le64 made
	printf "$(le64 $((0x$size + $3)))" |
		dd of="$1" bs=1 seek=$((shoff + 64 * idx + 32)) conv=notrunc 2>/dev/null
}

# orc.o and plain.o.
args=$(sed -n '1s/^# objtool: //p' ../../testdata/x86/orc.S)
"$AS" --64 -o plain.o ../../testdata/x86/orc.S
cp plain.o orc.o
# $args is split on purpose; the warnings are the fixture's own.
# shellcheck disable=SC2086
"$OBJTOOL" $args orc.o 2>/dev/null || true

# entry_64_compat.o.
obj=x86-orc/arch/x86/entry/entry_64_compat.o
tar -xJf "$archive" -C "$tmp" "$obj" "$obj.args"
cp "$tmp/$obj" entry_64_compat.o
chmod u+w entry_64_compat.o
# shellcheck disable=SC2046
"$OBJTOOL" $(cat "$tmp/$obj.args") entry_64_compat.o

"$LD" -m elf_x86_64 --unresolved-symbols=ignore-all -e 0 -o linked.elf orc.o
"$OBJCOPY" -R .rela.orc_unwind_ip --change-section-address .orc_unwind_ip=0x1000 orc.o noreloc.o
cp orc.o badsize.o
set_size badsize.o .orc_unwind -1
cp orc.o shortrela.o
set_size shortrela.o .rela.orc_unwind_ip -24
echo 'not an object' >notelf.txt
rm -f missing.o

for x in orc.o entry_64_compat.o linked.elf noreloc.o badsize.o shortrela.o \
	plain.o notelf.txt missing.o; do
	rc=0
	"$OBJTOOL" --dump=orc "$x" >"$x.dump" 2>"$x.ref" || rc=$?
	echo "$rc" >"$x.rc"
done

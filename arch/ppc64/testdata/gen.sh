#!/bin/sh
# Rebuilds every testdata/X.S into X-be.o (ppc64, big-endian) and X-le.o
# (ppc64le) with binutils' preprocessor and assembler, and records their
# versions in TOOLCHAIN. Run it from anywhere after editing a .S, and commit
# the objects with it. Debian: apt-get install cpp-powerpc64-linux-gnu
# binutils-powerpc64-linux-gnu cpp-powerpc64le-linux-gnu
# binutils-powerpc64le-linux-gnu.
set -eu
cd "$(dirname "$0")"
be=${CROSS_BE:-powerpc64-linux-gnu-}
le=${CROSS_LE:-powerpc64le-linux-gnu-}
asflags="-a64 -mpower10 -many"
for s in *.S; do
	b=${s%.S}
	"${be}cpp" -P "$s" | "${be}as" $asflags -mbig -o "$b-be.o"
	"${le}cpp" -P "$s" | "${le}as" $asflags -mlittle -o "$b-le.o"
done
for t in "${be}as" "${le}as"; do
	"$t" --version | head -n 1
done > TOOLCHAIN

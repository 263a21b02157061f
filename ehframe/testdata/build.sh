#!/bin/sh
# Rebuilds the test objects from frames.c and cfi-*.S, and beside each X.o
# the golden X.o.frames: readelf's interpretation of its call-frame
# information (readelf --debug-dump=frames-interp), which the tests compare
# Read's rows with. Needs Debian 12's gcc and its aarch64-linux-gnu,
# powerpc64le-linux-gnu and powerpc64-linux-gnu cross compilers (GCC 12.2;
# big-endian ppc64 built for ELFv2, as decode reads no other),
# and binutils 2.40.
set -eu
cd "$(dirname "$0")"

C="-c -O2 -fasynchronous-unwind-tables"
D="-c -O2 -g1 -fno-asynchronous-unwind-tables -fno-unwind-tables"

gcc $C -o x86-64.o frames.c
gcc $C -fno-omit-frame-pointer -o x86-64-fp.o frames.c
gcc $D -o x86-64-debug.o frames.c
gcc -c -o x86-64-cfi.o cfi-x86.S
aarch64-linux-gnu-gcc $C -mbranch-protection=pac-ret -o arm64.o frames.c
aarch64-linux-gnu-gcc -c -o arm64-cfi.o cfi-arm64.S
aarch64-linux-gnu-gcc -c -DDEBUG_FRAME -o arm64-cfi-debug.o cfi-arm64.S
powerpc64le-linux-gnu-gcc $C -o ppc64le.o frames.c
powerpc64-linux-gnu-gcc $C -mabi=elfv2 -o ppc64be.o frames.c
powerpc64-linux-gnu-gcc $D -mabi=elfv2 -o ppc64be-debug.o frames.c

for o in *.o; do
	readelf --debug-dump=frames-interp "$o" >"$o.frames"
done

#!/bin/sh
# Rebuilds the switch-table test objects from switch.c with GCC's ppc64
# cross compilers, with the code-generation flags of a ppc64le_defconfig
# kernel (arch/powerpc/Makefile: ELFv2, -mcmodel=medium, no floating point
# or vector code, no traceback tables, -pg -mprofile-kernel for ftrace), and
# records the compilers' versions in switch.TOOLCHAIN. Run it from anywhere
# after editing switch.c, and commit the objects with it. Debian: apt-get
# install gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu.
#
#	switch-le.o     ppc64le, -mcpu=power8, as the corpus
#	switch-be.o     ppc64 big-endian ELFv2, -mcpu=power8
#	switch-small.o  ppc64le, -mcmodel=small: ld rX,.LC@toc(r2)
#	switch-p10.o    ppc64le, -mcpu=power10: pc-relative tables (pla), and
#	                tail calls through CTR
set -eu
cd "$(dirname "$0")"
be=${CROSS_BE:-powerpc64-linux-gnu-}
le=${CROSS_LE:-powerpc64le-linux-gnu-}
flags="-O2 -m64 -mabi=elfv2 -msoft-float -mno-altivec -mno-vsx -mno-string
	-mtraceback=no -mno-pointers-to-nested-functions -pg -mprofile-kernel
	-fno-stack-protector -fno-common -ffreestanding -fasynchronous-unwind-tables"
"${le}gcc" $flags -mlittle-endian -mcpu=power8 -mcmodel=medium -c switch.c -o switch-le.o
"${be}gcc" $flags -mbig-endian -mcpu=power8 -mcmodel=medium -c switch.c -o switch-be.o
"${le}gcc" $flags -mlittle-endian -mcpu=power8 -mcmodel=small -c switch.c -o switch-small.o
"${le}gcc" $flags -mlittle-endian -mcpu=power10 -mcmodel=medium -c switch.c -o switch-p10.o
for t in "${le}gcc" "${be}gcc"; do
	"$t" --version | head -n 1
done > switch.TOOLCHAIN

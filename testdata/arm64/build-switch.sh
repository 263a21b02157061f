#!/bin/sh
# Builds switch.o, the object arch/arm64's FindSwitch tests read, from
# switch.c with the kernel's arm64 code generation options that matter
# for jump tables. Run from anywhere; needs aarch64-linux-gnu-gcc (GCC 12
# made the committed object). Clang is not used: not installed here.
set -e
cd "$(dirname "$0")"
aarch64-linux-gnu-gcc -O2 -fno-pic -mgeneral-regs-only -fasynchronous-unwind-tables \
	-c switch.c -o switch.o

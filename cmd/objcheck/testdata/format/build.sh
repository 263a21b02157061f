#!/bin/sh
# Rebuilds the objects of the --format source-line test (format_test.go),
# each with a line table: DWARF 5 for x86 and ppc64, DWARF 4 for arm64,
# and GCC's own for the C file. File names are relative to this folder.
set -e
cd "$(dirname "$0")"
map="--debug-prefix-map=$PWD=."
as --64 --gdwarf-5 "$map" -o lines-x86.o lines-x86.S
aarch64-linux-gnu-as --gdwarf-4 "$map" -o lines-arm64.o lines-arm64.S
powerpc64le-linux-gnu-as -a64 --gdwarf-5 "$map" -o lines-ppc64.o lines-ppc64.S
gcc -O2 -g -gdwarf-5 -fomit-frame-pointer -fno-asynchronous-unwind-tables -fdebug-prefix-map="$PWD"=. \
	-c -o lines-c.o lines-c.c

#!/bin/sh
# Rebuilds the objects the writer is compared on (difftest's
# TestWriteFixtures runs the real objtool and objcheck over copies of
# them): C compiled as a kernel with CONFIG_FUNCTION_TRACER compiles it
# (-pg -mfentry, without -mrecord-mcount, so that objtool's --mcount makes
# __mcount_loc), for the x86-64 kernel code model.
set -eu
cd "$(dirname "$0")"
CC=${CC:-gcc}
for c in *.c; do
	$CC -O2 -pg -mfentry -fno-pic -mcmodel=kernel -mno-red-zone -fno-asynchronous-unwind-tables \
		-fno-stack-protector -c "$c" -o "${c%.c}.o"
done

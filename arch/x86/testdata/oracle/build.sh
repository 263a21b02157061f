#!/bin/sh
# Builds the decode oracle: Linux 6.12 objtool's own x86 decoder
# (tools/objtool/arch/x86/decode.c, which includes the kernel's insn.c and
# its generated opcode tables) behind a small driver, for TestOracle:
#
#   KSRC=/path/to/linux-6.12 ./build.sh /tmp/x86-oracle
#   OBJCHECK_X86_ORACLE=/tmp/x86-oracle go test -run Oracle ./arch/x86
#
# Needs a C compiler, awk and libelf's headers (gelf.h). Nothing here is
# linked into objcheck.
set -e
: "${KSRC:?set KSRC to a Linux 6.12 source tree}"
out=${1:?usage: build.sh OUTPUT}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk -f "$KSRC/tools/arch/x86/tools/gen-insn-attr-x86.awk" \
	"$KSRC/tools/arch/x86/lib/x86-opcode-map.txt" >"$tmp/inat-tables.c"
inc="-I$here/stub -I$KSRC/tools/include -I$KSRC/tools/arch/x86/include/uapi
	-I$KSRC/tools/arch/x86/include -I$KSRC/tools/objtool/include
	-I$KSRC/tools/objtool/arch/x86/include -I$tmp"
# decode.c prints its warnings with fprintf; the driver records them.
cc -c -O1 -w $inc -Dfprintf=oracle_fprintf -o "$tmp/decode.o" \
	"$KSRC/tools/objtool/arch/x86/decode.c"
cc -O1 -w $inc -o "$out" "$here/oracle.c" "$tmp/decode.o"

#!/bin/sh
# Rebuilds the arm64 checker fixtures: for every X.S here, X.o and its
# listing X.lst (which the checktest harness reads to map source lines to
# offsets). check/lrarch_test.go runs objcheck --stackval on them.
#
#   testdata/arm64/build.sh            assemble X.S
#   testdata/arm64/build.sh --pending  also assemble pending/*.S, the cases
#                                      where objcheck disagrees with the
#                                      fixture (see pending/README.md); their
#                                      objects are not committed
#
# No objtool checks arm64, so there is no X.o.ref: the want comments are the
# spec. The switch*.c fixtures are built by build-switch.sh, not here.
# Set AS to choose the assembler (default aarch64-linux-gnu-as, Debian's
# binutils-aarch64-linux-gnu; the committed objects come from 2.40).
set -eu

cd "$(dirname "$0")"
AS=${AS:-aarch64-linux-gnu-as}

pending=false
case "${1:-}" in
--pending) pending=true ;;
"") ;;
*) echo "usage: $0 [--pending]" >&2; exit 2 ;;
esac

srcs=$(ls ./*.S)
if $pending; then
	srcs="$srcs $(ls pending/*.S 2>/dev/null || true)"
fi
for src in $srcs; do
	base=${src%.S}
	case $base in ./switch*) continue ;; esac # build-switch.sh's
	"$AS" -alnd="$base.lst" -o "$base.o" "$src"
done

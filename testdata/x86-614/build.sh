#!/bin/sh
# Rebuilds the objects and listings of the Linux 6.14 annotation fixtures.
# Their want comments are objcheck's expectations: objtool 6.12 does not
# read .discard.annotate_insn, so there is no recorded .ref.
set -e
cd "$(dirname "$0")"
AS=${AS:-as}
for s in *.S; do
	b=${s%.S}
	$AS --64 -alnd="$b.lst" -o "$b.o" "$s"
done

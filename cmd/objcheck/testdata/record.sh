#!/bin/sh
# Re-records testdata/objtool/*.txt from the real objtool 6.12: each file
# keeps its comment, arguments and environment and gets objtool's exit
# status, stdout and stderr; then the cases are replayed against objcheck.
# $OBJTOOL is objtool's path (default: Debian's linux-kbuild-6.12 copy);
# gcc and ld build the two objects the cases name. Review the diff before
# committing. testdata/objcheck/ is objcheck's own behaviour and is not
# recorded.
set -eu
cd "$(dirname "$0")/.."
objtool=${OBJTOOL:-/usr/lib/linux-kbuild-6.12.117+deb12/tools/objtool/objtool.real-x86}
if [ ! -x "$objtool" ]; then
	echo "record.sh: no objtool at $objtool (set OBJTOOL)" >&2
	exit 1
fi
OBJCHECK_RECORD=$objtool go test -count=1 -run '^TestGolden$' .

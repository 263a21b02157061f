#!/bin/bash
# Builds part of a kernel tree twice with kbuild, once with the real objtool
# as the build tree's tools/objtool/objtool and once with objcheck installed
# there instead, and compares every .o file the two builds leave (cmp).
# Prints the objects built, how many are identical, the names of those that
# differ or are missing from one build, how many objtool ran on, whether the
# two build logs hold the same lines, and the wall time of each build.
#
#   SRC=linux-6.12 WORK=scratch OBJCHECK=path/to/objcheck \
#     difftest/kbuild/compare.sh NAME [CONFIG-EDITS...] -- TARGETS...
#
# SRC: an unpacked kernel tree (Debian's linux-source-6.12 package ships
# one: tar -xJf /usr/src/linux-source-6.12.tar.xz). Nothing is unpacked here.
# OBJCHECK: the objcheck binary (go build -o X ./cmd/objcheck).
# CONFIG-EDITS: arguments for scripts/config applied to x86_64_defconfig
# (-d X86_KERNEL_IBT makes kbuild run objtool on every object rather than
# once on vmlinux.o). TARGETS: kbuild targets, e.g. fs/ext4/ mm/.
# Optional: OBJTOOL, the real objtool to use (default: the one `make prepare`
# builds from the tree); JOBS (default nproc); MAKEARGS, more make arguments
# (e.g. LLVM=1); CAPTURE=1 keeps, during the objtool build, every object as
# kbuild hands it to objtool, in WORK/NAME/capture/ laid out like a corpus
# folder (X.o, X.o.args, X.o.ref, X.o.rc, MANIFEST) for difftest's
# TestUnseenWrite (OBJCHECK_UNSEEN=WORK/NAME/capture).
#
# Both builds run from scratch in the same folder (WORK/NAME/build, so no
# path differs between them), which is then moved to WORK/NAME/objtool and
# WORK/NAME/objcheck; make -k goes on past failures. The objcheck build runs
# objcheck itself as tools/objtool/objtool; the objtool build runs the real
# objtool there, behind a small capture script when CAPTURE=1.
set -e -o pipefail
: "${SRC:?set SRC to a kernel source tree}" "${WORK:?set WORK to a scratch folder}"
: "${OBJCHECK:?set OBJCHECK to the objcheck binary}"
[ $# -ge 2 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
name=$1; shift
edits=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do edits+=("$1"); shift; done
[ "$1" = -- ] || { echo "compare.sh: no -- before the targets" >&2; exit 2; }
shift; targets=("$@")
SRC=$(cd "$SRC" && pwd); OBJCHECK=$(realpath "$OBJCHECK")
[ -z "$OBJTOOL" ] || OBJTOOL=$(realpath "$OBJTOOL")
top=$(mkdir -p "$WORK/$name" && cd "$WORK/$name" && pwd)
B=$top/build
jobs=${JOBS:-$(nproc)}
read -r -a makeargs <<< "${MAKEARGS:-}"

mk() { make -s -C "$SRC" O="$B" ARCH=x86_64 "${makeargs[@]}" "$@"; }

# The capture script kbuild runs as tools/objtool/objtool in the objtool
# build: it keeps the object and the arguments, runs the real tool beside it
# (objtool.real) and keeps what it printed and returned.
capture() {
	cat <<'EOF'
#!/bin/bash
obj="${@: -1}"
dest="$CAPTURE_DIR/$obj"
mkdir -p "$(dirname "$dest")"
cp "$obj" "$dest"
printf '%s\n' "${@:1:$#-1}" > "$dest.args"
"$(dirname "$0")/objtool.real" "$@" 2> >(tee "$dest.ref" >&2)
rc=$?
echo "$rc" > "$dest.rc"
exit $rc
EOF
}

# build TOOL: configures and prepares the tree, installs TOOL (objtool or
# objcheck) as tools/objtool/objtool, builds the targets and moves the
# build to WORK/NAME/TOOL.
build() {
	local tool=$1 ot load rc=0 TIMEFORMAT='%R %U %S'
	rm -rf "$B" "$top/$tool"
	mkdir -p "$B"
	mk x86_64_defconfig
	[ ${#edits[@]} -eq 0 ] || "$SRC/scripts/config" --file "$B/.config" "${edits[@]}"
	mk olddefconfig
	mk -j"$jobs" prepare
	ot=$B/tools/objtool/objtool
	[ -x "$ot" ] || { echo "compare.sh: make prepare built no $ot" >&2; exit 1; }
	mv "$ot" "$ot.built"
	case $tool in
	objtool)
		cp "${OBJTOOL:-$ot.built}" "$ot"
		if [ -n "$CAPTURE" ]; then
			mv "$ot" "$ot.real"
			capture > "$ot"; chmod +x "$ot"
			export CAPTURE_DIR=$top/capture
			rm -rf "$CAPTURE_DIR"; mkdir -p "$CAPTURE_DIR"
		fi;;
	objcheck) cp "$OBJCHECK" "$ot";;
	esac
	# WORK/NAME/TOOL.tool: the tool that ran (behind the capture script).
	cp "$ot" "$top/$tool.installed"
	if [ -e "$ot.real" ]; then cp "$ot.real" "$top/$tool.tool"; else cp "$ot" "$top/$tool.tool"; fi
	read -r load _ < /proc/loadavg
	{ time mk -k -j"$jobs" "${targets[@]}" > "$B/build.log" 2>&1 || rc=$?; } 2> "$B/build.time"
	# kbuild must not have rebuilt the tool over the one installed.
	cmp -s "$ot" "$top/$tool.installed" || { echo "compare.sh: $ot was rebuilt during the build" >&2; exit 1; }
	echo "$rc" > "$B/build.rc"
	echo "$load $(cut -d' ' -f1 /proc/loadavg)" > "$B/build.load"
	mv "$B" "$top/$tool"
}

# objects DIR: the .o files the targets left in the build folder DIR.
objects() {
	(cd "$1" && for t in "${targets[@]}"; do
		if [ -d "$t" ]; then find "$t" -name '*.o'; elif [ -e "$t" ]; then echo "$t"; fi
	done) | sed 's|//*|/|g' | sort -u
}

build objtool
build objcheck

A=$top/objtool C=$top/objcheck
objects "$A" > "$top/objects.objtool"
objects "$C" > "$top/objects.objcheck"
sort -u "$top/objects.objtool" "$top/objects.objcheck" > "$top/objects"
same=0 differ=() missing=()
while read -r o; do
	if [ ! -e "$A/$o" ] || [ ! -e "$C/$o" ]; then missing+=("$o")
	elif cmp -s "$A/$o" "$C/$o"; then same=$((same + 1))
	else differ+=("$o"); fi
done < "$top/objects"
# The objects kbuild ran its objtool step on, by their .cmd files.
ran() { (cd "$1" && grep -l 'tools/objtool/objtool ' $(sed 's|\(.*\)/\(.*\)|\1/.\2.cmd|' "$top/objects.$2") 2>/dev/null | wc -l); }

if [ -n "$CAPTURE" ] && [ -d "$top/capture" ]; then
	# A MANIFEST like the shared corpus's: path, kind of source, source.
	(cd "$top/capture" && find . -name '*.o' | sed 's|^\./||' | sort | while read -r o; do
		s=${o%.o}
		if [ -e "$SRC/$s.c" ]; then printf '%s\tc\t%s\n' "$o" "$s.c"
		elif [ -e "$SRC/$s.S" ]; then printf '%s\tS\t%s\n' "$o" "$s.S"
		else printf '%s\tld\n' "$o"; fi
	done > MANIFEST)
fi

logs=different
cmp -s <(grep -v '^make' "$A/build.log" | sort) <(grep -v '^make' "$C/build.log" | sort) && logs=identical
echo "$name: targets: ${targets[*]}; config edits: ${edits[*]:-none}${MAKEARGS:+; make $MAKEARGS}"
echo "$name: real objtool: ${OBJTOOL:-tools/objtool/objtool as make prepare built it}"
echo "$name: objects built: $(wc -l < "$top/objects") (objtool build $(wc -l < "$top/objects.objtool"), objcheck build $(wc -l < "$top/objects.objcheck"))"
echo "$name: objtool step run on: $(ran "$A" objtool) (objtool build), $(ran "$C" objcheck) (objcheck build)"
echo "$name: identical: $same, different: ${#differ[@]}, in one build only: ${#missing[@]}"
for o in "${differ[@]}"; do echo "$name: different: $o"; done
for o in "${missing[@]}"; do echo "$name: in one build only: $o"; done
echo "$name: build logs (lines, sorted): $logs"
echo "$name: make status: objtool build $(cat "$A/build.rc"), objcheck build $(cat "$C/build.rc")"
# build.time: wall, user and system seconds; build.load: load average
# (1 min) before and after, as other work on the machine slows a build.
took() { read -r w u s < "$1/build.time"; read -r l0 l1 < "$1/build.load"; echo "$w s wall, $u s user, $s s sys, load $l0 -> $l1"; }
echo "$name: targets' build (-j$jobs): objtool $(took "$A")"
echo "$name: targets' build (-j$jobs): objcheck $(took "$C")"
[ -z "$CAPTURE" ] || echo "$name: captured for TestUnseenWrite: $(find "$top/capture" -name '*.o.args' | wc -l) objects in $top/capture"

#!/usr/bin/env bash
# Measures objcheck against the real objtool over the shared kernel-object
# corpus and prints markdown tables for the README.
#
#   bench/bench.sh            # every object of every corpus
#   QUICK=10 bench/bench.sh   # every 10th object only
#   WRITE=1 bench/bench.sh    # without --dry-run: both tools write
#   SETS=x86-vmlinux bench/bench.sh   # the whole kernel only
#
# Environment: OBJCHECK_SHARED (default ../shared beside the repository),
# OBJTOOL (default the linux-kbuild-6.12 package's objtool.real-x86),
# RUNS (hyperfine runs of the one call, default 5), VRUNS (runs of each
# tool over vmlinux.o, default 5), QUICK, WRITE, SETS (the corpora to run,
# default "x86-orc x86-fp x86-vmlinux arm64 ppc64le"),
# OBJCHECK_CGO (CGO_ENABLED for building objcheck, default 0: a static
# binary, as the README builds it; 1 measures the dynamically linked one).
#
# For each x86-64 corpus (x86-orc, x86-fp), with kbuild's recorded
# arguments plus --dry-run, from the unpacked folder with kbuild's paths:
#  (a) one process per object, one after another, objtool then objcheck:
#      total wall time, and the per-object ratio objcheck/objtool (median,
#      and the geometric mean);
#  (b) each process's peak RSS (/usr/bin/time -f %M), max and median;
#  (c) objcheck given all the objects in one call (default -j, so every
#      core), against objtool's total in (a): the one call is timed with
#      hyperfine when it is installed, else once with bash's clock.
# For x86-vmlinux, the linked kernel with its recorded arguments: VRUNS
# runs of each tool, alternating, objtool first; the median and range of
# the wall time and the peak RSS of each, their ratios, and whether the
# two printed the same and exited alike on every run (with WRITE=1, and
# wrote the same bytes).
# For the arm64 and ppc64le corpora, objcheck alone with --stackval.
# Wall times come from bash's $EPOCHREALTIME (no process spawned to read
# the clock), so the loop itself costs the same small amount per object
# for both tools. With WRITE=1 the x86 runs leave out --dry-run, so both
# tools write the object: each run gets a fresh copy of it first, outside
# the timed span.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=${OBJCHECK_SHARED:-$(dirname "$root")/shared}
corpus=$shared/corpus/linux-6.12
quick=${QUICK:-1}
write=${WRITE:-0}
dry=--dry-run
[ "$write" = 1 ] && dry=
runs=${RUNS:-5}
objtool=${OBJTOOL:-$(ls -d /usr/lib/linux-kbuild-6.12*/tools/objtool/objtool.real-x86 2>/dev/null | tail -n 1)}
[ -d "$corpus" ] || { echo "bench: no corpus at $corpus (set OBJCHECK_SHARED)" >&2; exit 1; }
[ -x "$objtool" ] || { echo "bench: no objtool (install linux-kbuild-6.12.117+deb12 or set OBJTOOL)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && CGO_ENABLED=${OBJCHECK_CGO:-0} go build -o "$tmp/objcheck" ./cmd/objcheck)
objcheck=$tmp/objcheck

# ms START END: the milliseconds between two $EPOCHREALTIME readings.
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }

# div A B FORMAT: A/B, printed with FORMAT.
div() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { printf f, b ? a / b : 0 }'; }

# stats FILE: "max median" of a column of numbers.
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %d\n", v[NR], m }'; }

# list DIR EXTRA: prints "ARGS<TAB>PATH" for every QUICK-th object of the
# corpus folder DIR; ARGS are the recorded ones (if any) and EXTRA, on one line.
list() {
	awk -F'\t' -v q="$quick" '(NR - 1) % q == 0 { print $1 }' "$1/MANIFEST" |
	while read -r obj; do
		args=$2
		[ -f "$1/$obj.args" ] && args="$(tr '\n' ' ' < "$1/$obj.args")$2"
		printf '%s\t%s\n' "$args" "$obj"
	done
}

# perobject TOOL DIR LIST OUT: runs TOOL once per listed object from DIR;
# writes each object's wall time (ms) to OUT.ms and peak RSS (KiB) to
# OUT.rss, and prints how many runs exited non-zero. Call it in a
# subshell: it changes directory.
perobject() {
	local tool=$1 lst=$3 out=$4 bad=0 args obj s e
	cd "$2"
	: > "$out.ms"; : > "$out.rss"
	while IFS=$'\t' read -r args obj; do
		fresh "$obj"
		s=$EPOCHREALTIME
		# shellcheck disable=SC2086 # the arguments are words
		"$tool" $args "$obj" 2>/dev/null || bad=$((bad + 1))
		e=$EPOCHREALTIME
		ms "$s" "$e" >> "$out.ms"; echo >> "$out.ms"
	done < "$lst"
	while IFS=$'\t' read -r args obj; do
		fresh "$obj"
		# shellcheck disable=SC2086
		/usr/bin/time -f %M -o "$tmp/rss" "$tool" $args "$obj" 2>/dev/null || true
		tail -n 1 "$tmp/rss" >> "$out.rss"
	done < "$lst"
	echo "$bad"
}

# fresh OBJ: with WRITE=1, puts back the unwritten copy of OBJ (from the
# current corpus folder's pristine twin) before a run.
fresh() { [ "$write" = 1 ] && [ -n "${orig:-}" ] && cp "$orig/$1" "$1" || :; }

# onecall TOOL DIR LIST: the script that runs TOOL once per group of
# objects with identical arguments, all of them in that one call.
onecall() {
	local tool=$1 dir=$2 lst=$3
	awk -F'\t' -v t="$tool" -v d="$dir" '
		!($1 in objs) { order[++n] = $1 }
		{ objs[$1] = objs[$1] " " $2 }
		END { printf "cd %s", d; for (i = 1; i <= n; i++) printf " && %s %s%s", t, order[i], objs[order[i]]; print "" }' "$lst"
}

# timeit NAME SCRIPT: the mean wall time (ms) of SCRIPT, with hyperfine
# if it is installed (a warm-up, then RUNS runs), else of one run.
timeit() {
	if command -v hyperfine > /dev/null; then
		local prep=(); [ "$write" = 1 ] && [ -n "${orig:-}" ] && prep=(--prepare "cp -r $orig/. $dir/")
		hyperfine --shell bash --style none --warmup 1 --runs "$runs" -i "${prep[@]}" \
			--export-json "$tmp/$1.json" "$2" > /dev/null 2>&1
		grep -o '"mean": [0-9.e+-]*' "$tmp/$1.json" | awk '{ printf "%.0f\n", $2 * 1000 }'
	else
		local s e
		s=$EPOCHREALTIME; bash -c "$2" > /dev/null 2>&1 || :; e=$EPOCHREALTIME
		ms "$s" "$e" | awk '{ printf "%.0f\n", $1 }'
	fi
}

# median FILE: the median of a column of numbers.
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# range FILE: "min-max" of a column of numbers.
range() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }

# vmlinux DIR: runs both tools over DIR/vmlinux.o VRUNS times each,
# alternating, and appends the row to $whole. A run whose output or exit
# status differs from objtool's first run is counted as a mismatch.
vmlinux() {
	local dir=$1 args i t same=0 n=${VRUNS:-5}
	args="$(tr '\n' ' ' < "$dir/vmlinux.o.args")$dry"
	[ "$write" = 1 ] && cp "$dir/vmlinux.o" "$tmp/vmlinux.orig"
	for t in objtool objcheck; do : > "$tmp/v.$t.s"; : > "$tmp/v.$t.rss"; done
	for i in $(seq "$n"); do
		for t in objtool objcheck; do
			[ "$write" = 1 ] && cp "$tmp/vmlinux.orig" "$dir/vmlinux.o"
			local rc=0 tool=$objtool
			[ "$t" = objcheck ] && tool=$objcheck
			# shellcheck disable=SC2086 # the arguments are words
			(cd "$dir" && /usr/bin/time -f '%e %M' -o "$tmp/v.time" "$tool" $args vmlinux.o > "$tmp/v.out" 2>&1) || rc=$?
			tail -n 1 "$tmp/v.time" | awk '{ print $1 }' >> "$tmp/v.$t.s"
			tail -n 1 "$tmp/v.time" | awk '{ print $2 }' >> "$tmp/v.$t.rss"
			echo "rc=$rc" >> "$tmp/v.out"
			[ "$write" = 1 ] && cmp -s "$dir/vmlinux.o" "$tmp/vmlinux.orig" && echo "unwritten" >> "$tmp/v.out"
			[ -f "$tmp/v.ref" ] || { cp "$tmp/v.out" "$tmp/v.ref"; [ "$write" = 1 ] && cp "$dir/vmlinux.o" "$tmp/v.written"; }
			cmp -s "$tmp/v.out" "$tmp/v.ref" || same=$((same + 1))
			[ "$write" = 1 ] && ! cmp -s "$dir/vmlinux.o" "$tmp/v.written" && same=$((same + 1))
		done
	done
	local os cs orss crss
	os=$(median "$tmp/v.objtool.s") cs=$(median "$tmp/v.objcheck.s")
	orss=$(median "$tmp/v.objtool.rss") crss=$(median "$tmp/v.objcheck.rss")
	printf '| vmlinux.o%s | %d + %d | %s s (%s) | %s s (%s) | %s | %d MB | %d MB | %s | %s |\n' \
		"$([ "$write" = 1 ] && echo ", writing")" "$n" "$n" "$os" "$(range "$tmp/v.objtool.s")" "$cs" "$(range "$tmp/v.objcheck.s")" \
		"$(div "$cs" "$os" %.2f)" $((orss / 1000)) $((crss / 1000)) "$(div "$crss" "$orss" %.2f)" \
		"$([ "$same" = 0 ] && echo yes || echo "no: $same runs differ")" >> "$whole"
}

x86=$tmp/x86.md other=$tmp/other.md whole=$tmp/whole.md
echo "| object | runs (objtool + objcheck) | objtool, median (range) | objcheck, median (range) | time ratio | objtool peak RSS | objcheck peak RSS | memory ratio | same output and status |" > "$whole"
echo "|---|---|---|---|---|---|---|---|---|" >> "$whole"
echo "| corpus | objects | objtool, one process each | objcheck, one process each | ratio (total) | ratio per object (median / geomean) | objtool RSS max / median | objcheck RSS max / median | objcheck, one call | one call / objtool total |" > "$x86"
echo "|---|---|---|---|---|---|---|---|---|---|" >> "$x86"
echo "| corpus | objects | objcheck --stackval, one process each | RSS max / median | one call | exit != 0 |" > "$other"
echo "|---|---|---|---|---|---|" >> "$other"

for set in ${SETS:-x86-orc x86-fp x86-vmlinux arm64 ppc64le}; do
	[ -f "$corpus/$set.tar.xz" ] || { echo "bench: no $set.tar.xz, skipped" >&2; continue; }
	tar -xJf "$corpus/$set.tar.xz" -C "$tmp"
	dir=$tmp/$set
	if [ "$set" = x86-vmlinux ]; then
		echo "bench: $set: vmlinux.o, ${VRUNS:-5} runs each" >&2
		vmlinux "$dir"
		continue
	fi
	orig=
	if [ "$write" = 1 ] && [[ $set == x86-* ]]; then
		orig=$tmp/$set.orig
		cp -r "$dir" "$orig"
	fi
	case $set in
	x86-*) list "$dir" "$dry" > "$tmp/$set.lst" ;;
	*) awk -F'\t' -v q="$quick" '(NR - 1) % q == 0 { print "--stackval --dry-run\t" $1 }' "$dir/MANIFEST" > "$tmp/$set.lst" ;;
	esac
	n=$(wc -l < "$tmp/$set.lst")
	echo "bench: $set: $n objects" >&2

	cbad=$(perobject "$objcheck" "$dir" "$tmp/$set.lst" "$tmp/$set.objcheck")
	ctotal=$(awk '{ s += $1 } END { printf "%.0f", s }' "$tmp/$set.objcheck.ms")
	read -r crmax crmed < <(stats "$tmp/$set.objcheck.rss")
	if [[ $set != x86-* ]]; then
		one=$(timeit "$set" "$(onecall "$objcheck" "$dir" "$tmp/$set.lst")")
		printf '| %s | %d | %s s | %d / %d MiB | %s s | %d |\n' "$set" "$n" "$(div "$ctotal" 1000 %.2f)" \
			$((crmax / 1024)) $((crmed / 1024)) "$(div "$one" 1000 %.2f)" "$cbad" >> "$other"
		continue
	fi
	obad=$(perobject "$objtool" "$dir" "$tmp/$set.lst" "$tmp/$set.objtool")
	ototal=$(awk '{ s += $1 } END { printf "%.0f", s }' "$tmp/$set.objtool.ms")
	read -r ormax ormed < <(stats "$tmp/$set.objtool.rss")
	read -r rmed rgeo < <(paste "$tmp/$set.objcheck.ms" "$tmp/$set.objtool.ms" |
		awk '$1 > 0 && $2 > 0 { print $1 / $2 }' | sort -g |
		awk '{ v[NR] = $1; lg += log($1) } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f\n", m, exp(lg / NR) }')
	one=$(timeit "$set" "$(onecall "$objcheck" "$dir" "$tmp/$set.lst")")
	printf '| %s | %d | %s s | %s s | %s | %s / %s | %d / %d MiB | %d / %d MiB | %s s | %s |\n' \
		"$set" "$n" "$(div "$ototal" 1000 %.2f)" "$(div "$ctotal" 1000 %.2f)" "$(div "$ctotal" "$ototal" %.2f)" \
		"$rmed" "$rgeo" $((ormax / 1024)) $((ormed / 1024)) $((crmax / 1024)) $((crmed / 1024)) \
		"$(div "$one" 1000 %.2f)" "$(div "$one" "$ototal" %.3f)" >> "$x86"
	[ "$obad$cbad" = 00 ] || echo "bench: $set: $obad objtool and $cbad objcheck runs exited non-zero" >&2
done

echo
echo "objcheck $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?')$([ "$write" = 1 ] && echo ", writing") vs $(basename "$(dirname "$(dirname "$(dirname "$objtool")")")"), $(nproc) cores, $(date -u +%Y-%m-%d)$([ "$quick" = 1 ] || echo ", every ${quick}th object")"
echo
# Only the tables with rows.
for t in "$x86" "$whole" "$other"; do
	if [ "$(wc -l < "$t")" -gt 2 ]; then cat "$t"; echo; fi
done

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"syscall"
)

// statsOut is where --stats goes: standard output as with objtool, or
// standard error when standard output carries JSON or SARIF (as record
// does with the checker's statistics).
func (r *fileResult) statsOut(format outputFormat) *bytes.Buffer {
	if format == formatText {
		return &r.stdout
	}
	return &r.stderr
}

// objdumpScript is the shell command objtool 6.12's disas_funcs runs for
// --verbose (its objdump_str): objdump's disassembly of the object,
// filtered by gawk to the functions named, each line led by its offset in
// the function, all on standard error. The three %s are $CROSS_COMPILE, the
// object's path and the names.
const objdumpScript = `%sobjdump -wdr %s | gawk -M -v _funcs='%s' '` +
	`BEGIN { split(_funcs, funcs); }` +
	`/^$/ { func_match = 0; }` +
	`/<.*>:/ { ` +
	`f = gensub(/.*<(.*)>:/, "\\1", 1);` +
	`for (i in funcs) {` +
	`if (funcs[i] == f) {` +
	`func_match = 1;` +
	`base = strtonum("0x" $1);` +
	`break;` +
	`}` +
	`}` +
	`}` +
	`{` +
	`if (func_match) {` +
	`addr = strtonum("0x" $1);` +
	`printf("%%04x ", addr - base);` +
	`print;` +
	`}` +
	`}' 1>&2`

// disassemble does what objtool's --verbose does after checking an object
// with warnings: it runs objdumpScript through the shell, as system(3)
// does, for the functions named, and, if the shell fails, warns with
// system's return value (the wait status), an error with --werror's
// upgrade. The shell's output goes to stdout and stderr.
func disassemble(stdout, stderr *bytes.Buffer, path, crossCompile string, funcs []string, upgraded bool) {
	if len(funcs) == 0 {
		return
	}
	script := fmt.Sprintf(objdumpScript, crossCompile, path, strings.Join(funcs, " "))
	cmd := exec.Command("/bin/sh")
	cmd.Args = []string{"sh", "-c", script} // as system(3) runs it: the shell's messages say "sh"
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if st := systemStatus(cmd.Run()); st != 0 {
		sev := "warning"
		if upgraded {
			sev = "error"
		}
		fmt.Fprintf(stderr, "%s: %s: objtool: disassembly failed: %d\n", path, sev, st)
	}
}

// systemStatus is what system(3) returns for a child that ended with err:
// 0, the raw wait status, or -1 when the shell could not be run.
func systemStatus(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok {
			return int(ws)
		}
	}
	return -1
}

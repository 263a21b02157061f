package difftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"syscall"
)

// An Output is what one run of a checker left: its standard error and its
// exit status.
type Output struct {
	Stderr []byte
	// RC is the exit status; -1 when the process died of a signal.
	RC int
	// Signal names the signal that killed the process, if one did.
	Signal string
}

// Run runs bin with args in dir, the way kbuild runs objtool, and returns
// what it printed on standard error and its exit status. Standard output is
// discarded. An error means the process could not be run at all (or ctx
// ended first), not that it exited non-zero.
func Run(ctx context.Context, bin, dir string, args []string) (Output, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	out := Output{Stderr: stderr.Bytes()}
	if ctx.Err() != nil {
		return out, fmt.Errorf("%s: %v", bin, ctx.Err())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		out.RC = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			out.Signal = ws.Signal().String()
		}
	default:
		return out, err
	}
	return out, nil
}

// Equal reports whether o and p printed the same bytes and exited alike.
func (o Output) Equal(p Output) bool {
	return o.RC == p.RC && o.Signal == p.Signal && bytes.Equal(o.Stderr, p.Stderr)
}

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/objcheck/objcheck/check"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/elfedit"
	"github.com/objcheck/objcheck/objwrite"
)

// exitWrite is the status when the object cannot be written: objtool's
// elf_write returns -1, which exits 255.
const exitWrite = 255

// backup keeps a copy of the object as path.orig before anything else is
// done to it, as objtool's --backup does (whether or not it then writes),
// and reports objtool's messages when it cannot.
func backup(w *bytes.Buffer, path string, data []byte) bool {
	err := os.WriteFile(path+".orig", data, 0o644)
	if err == nil {
		return true
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		fmt.Fprintf(w, "failed to create backup file: %s\n", strerror(errno))
	} else {
		fmt.Fprintf(w, "failed to create backup file: %v\n", err)
	}
	fmt.Fprintf(w, "%s: warning: objtool: can't create backup file\n", path)
	return false
}

// writeObject makes the plan's changes to the object read from path and
// replaces it with the result. The input is never written in place: the
// new file is written beside it and renamed over it, so a failure at any
// point leaves the input as it was.
func writeObject(path string, f *decode.File, plan *check.Plan) error {
	ef, err := elfedit.Open(f.Data)
	if err != nil {
		return err
	}
	ef.ReleaseInput(f.Release)
	if err := objwrite.Apply(ef, f.Arch, plan); err != nil {
		return err
	}
	return replace(path, func(w io.Writer) error {
		_, err := ef.WriteTo(w)
		return err
	})
}

// replace writes the new contents with write to a temporary file in the
// directory of path (of its target, when path is a symbolic link) and
// renames it over that file, keeping its permissions.
func replace(path string, write func(io.Writer) error) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".objcheck-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode() & fs.ModePerm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return err
	}
	ok = true
	return nil
}

package decode

import (
	"debug/elf"
	"errors"
	"io"
	"io/fs"
	"os"

	"github.com/objcheck/objcheck/internal/filemap"
	"github.com/objcheck/objcheck/internal/prefault"
)

// Open reads the object at path (never writing it) and parses it. A file
// that cannot be read gives an *Error wrapping the system's error, without
// the path in its text.
func Open(path string) (*File, error) {
	data, err := readFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{Msg: "cannot read file", Err: err}
	}
	return Parse(path, data)
}

// OpenMapped is Open for a process that checks one object and exits. The
// file is mapped rather than read (see package filemap): no copy is made,
// only the pages used come into memory, and the pages of the relocation,
// symbol and string tables, once parsed into Relocs, Symbols and names,
// leave it again
// (read back from the file if used again, as writing the object does).
// The mapping lasts as long as the process: the File and what is made of
// it alias it. A file that cannot be mapped is read as Open reads it.
func OpenMapped(path string) (*File, error) {
	data, ok := filemap.Map(path)
	if !ok {
		return Open(path)
	}
	f, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	f.mapped = true
	for _, s := range f.Sections {
		if parsedTable(s.Type) {
			f.Release(s.Data)
		}
	}
	return f, nil
}

// parsedTable reports a type of section whose contents Parse turns into
// Relocs and Symbols, or, for a string table, copies into the names'
// one string (see newStrtab): vmlinux.o's .strtab is 3.3 MB.
func parsedTable(t elf.SectionType) bool {
	switch t {
	case elf.SHT_RELA, elf.SHT_REL, elf.SHT_SYMTAB, elf.SHT_SYMTAB_SHNDX, elf.SHT_STRTAB:
		return true
	}
	return false
}

// readFile is os.ReadFile into a buffer whose pages are faulted in on
// another thread (see package prefault): a whole-kernel object is tens of
// megabytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := 0
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = int(min(fi.Size(), 1<<40))
	}
	// One byte more than the size, so that the read that finds the end
	// needs no growth; a file that grows while read still reads whole.
	data := make([]byte, 0, size+1)
	prefault.Start(data, size)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// Parse parses an ELF64 relocatable object held in memory; name becomes
// File.Name, for messages. Every offset, size, link and index in data is checked
// before use, so malformed input gives an *Error, never a panic. The File's
// section contents alias data, which the caller must not change afterwards.
func Parse(name string, data []byte) (f *File, err error) {
	// parse itself never panics, and FuzzParse checks it without this
	// guard. The recover is only a last defence, so that a parser bug
	// found in the field costs one object an error and not the whole run.
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, errorf("internal error while reading the object: %v", r)
		}
	}()
	return parse(name, data)
}

// parse is Parse without the recover.
func parse(name string, data []byte) (*File, error) {
	p := &parser{data: data, f: &File{Name: name, Data: data}}
	if err := p.run(); err != nil {
		return nil, err
	}
	return p.f, nil
}

package ehframe

import (
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/objcheck/objcheck/arch/arm64"
	"github.com/objcheck/objcheck/decode"
)

// testObjects returns the bytes of testdata's objects.
func testObjects(f *testing.F) [][]byte {
	paths, err := filepath.Glob("testdata/*.o")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no test objects: %v", err)
	}
	var objs [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		objs = append(objs, data)
	}
	return objs
}

// checkRead calls read, which has no recover, so that a panic fails the
// fuzz test, and checks what it returns holds together.
func checkRead(t *testing.T, f *decode.File) {
	fdes, err := read(f)
	if err != nil {
		if _, ok := err.(*Error); !ok || fdes != nil {
			t.Fatalf("read = %d FDEs, %T %v; want nil and an *Error", len(fdes), err, err)
		}
		return
	}
	for i := range fdes {
		fde := &fdes[i]
		if fde.Section == nil || fde.Start > fde.End || fde.End > fde.Section.Size {
			t.Fatalf("FDE %#x: %#x-%#x outside its section", fde.Offset, fde.Start, fde.End)
		}
		if fde.Start < fde.End && (len(fde.Rows) == 0 || fde.Rows[0].Off != fde.Start) {
			t.Fatalf("FDE %#x: rows do not start at %#x", fde.Offset, fde.Start)
		}
		for j, r := range fde.Rows {
			if r.Off < fde.Start || r.Off >= fde.End || j > 0 && r.Off <= fde.Rows[j-1].Off {
				t.Fatalf("FDE %#x-%#x: row %d at %#x out of order or range", fde.Start, fde.End, j, r.Off)
			}
			if fde.At(r.Off) != &fde.Rows[j] {
				t.Fatalf("FDE %#x: At(%#x) is not row %d", fde.Offset, r.Off, j)
			}
		}
	}
}

// FuzzRead parses arbitrary objects, seeded with testdata's, and reads
// their CFI.
func FuzzRead(f *testing.F) {
	for _, obj := range testObjects(f) {
		f.Add(obj)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if file, err := decode.Parse("fuzz.o", data); err == nil {
			checkRead(t, file)
		}
	})
}

// FuzzReadFrame puts arbitrary bytes in the frame section of one of
// testdata's objects, keeping the object's relocations, or, for the last
// seed index, in an .eh_frame relocated at every 4-byte offset. Mutating
// the section alone reaches far deeper into the CFA programs than
// mutating whole objects does.
func FuzzReadFrame(f *testing.F) {
	objs := testObjects(f)
	for i, obj := range objs {
		file, err := decode.Parse("seed.o", obj)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), frameOf(file).Data)
	}
	f.Add(uint8(len(objs)), []byte{
		0x10, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 4, 0x78, 30, 1, 0x1b, 0x0c, 31, 0,
		0x1c, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0,
		0x41, 0x0e, 16, 0x9d, 2, 0x9e, 1, 0x47, 0x0e, 0, 0xde, 0xdd, 0, 0, 0, 0,
	})
	f.Fuzz(func(t *testing.T, seed uint8, frame []byte) {
		i := int(seed) % (len(objs) + 1)
		if i == len(objs) {
			checkRead(t, everyWordFile(frame))
			return
		}
		file, err := decode.Parse("seed.o", objs[i])
		if err != nil {
			t.Fatal(err)
		}
		setFrame(file, frame)
		checkRead(t, file)
	})
}

// frameOf returns the section Read reads.
func frameOf(f *decode.File) *decode.Section {
	if s := f.SectionByName(".eh_frame"); s != nil {
		return s
	}
	return f.SectionByName(".debug_frame")
}

// setFrame makes f's frame section hold data (a fresh File's: the
// section's relocations lose those that fall outside it).
func setFrame(f *decode.File, data []byte) {
	s := frameOf(f)
	s.Data, s.Size = data, uint64(len(data))
	n := 0
	for _, r := range s.Relocs {
		if r.Offset < s.Size {
			s.Relocs[n] = r
			n++
		}
	}
	s.Relocs = s.Relocs[:n]
}

// everyWordFile wraps frame bytes in an arm64 object whose .eh_frame has a
// relocation to .text at every 4-byte offset, so that every FDE the bytes
// describe is tied to code and its program is run.
func everyWordFile(frame []byte) *decode.File {
	text := &decode.Section{Index: 1, Name: ".text", Type: elf.SHT_PROGBITS, Size: 1 << 16}
	sym := &decode.Symbol{Index: 1, Type: elf.STT_SECTION, Section: text}
	eh := &decode.Section{Index: 2, Name: ".eh_frame", Type: elf.SHT_PROGBITS, Data: frame, Size: uint64(len(frame))}
	for off := uint64(0); off+4 <= uint64(len(frame)); off += 4 {
		eh.Relocs = append(eh.Relocs, decode.Reloc{Offset: off, Type: 261, Sym: sym, Addend: int64(off)})
	}
	return &decode.File{Machine: elf.EM_AARCH64, ByteOrder: binary.LittleEndian, Arch: arm64.New(),
		Sections: []*decode.Section{{}, text, eh}}
}

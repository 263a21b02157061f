package ehframe

import (
	"debug/elf"
	"encoding/binary"
	"testing"

	"github.com/objcheck/objcheck/decode"
)

// fuzzFile wraps frame bytes in an object whose .eh_frame has a
// relocation to .text at every 4-byte offset, so that every FDE the bytes
// describe is tied to code and its program is run.
func fuzzFile(frame []byte) *decode.File {
	text := &decode.Section{Index: 1, Name: ".text", Type: elf.SHT_PROGBITS, Size: 1 << 12}
	sym := &decode.Symbol{Index: 1, Type: elf.STT_SECTION, Section: text}
	eh := &decode.Section{Index: 2, Name: ".eh_frame", Type: elf.SHT_PROGBITS, Data: frame, Size: uint64(len(frame))}
	for off := uint64(0); off+4 <= uint64(len(frame)); off += 4 {
		eh.Relocs = append(eh.Relocs, decode.Reloc{Offset: off, Sym: sym, Addend: int64(off)})
	}
	return &decode.File{Machine: elf.EM_AARCH64, ByteOrder: binary.LittleEndian,
		Sections: []*decode.Section{{}, text, eh}}
}

// FuzzRead checks that Read never panics and that what it returns holds
// together: rows sorted, inside their FDE.
func FuzzRead(f *testing.F) {
	// A CIE (zR, code align 4, data align -8, RA 30, def_cfa sp+0) and an
	// FDE with the arm64 frame-record program.
	f.Add([]byte{
		0x10, 0, 0, 0, 0, 0, 0, 0, 1, 'z', 'R', 0, 4, 0x78, 30, 1, 0x1b, 0x0c, 31, 0,
		0x1c, 0, 0, 0, 0x18, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0,
		0x41, 0x0e, 16, 0x9d, 2, 0x9e, 1, 0x47, 0x0e, 0, 0xde, 0xdd, 0, 0, 0, 0,
	})
	f.Fuzz(func(t *testing.T, frame []byte) {
		fdes, err := Read(fuzzFile(frame))
		if err != nil {
			return
		}
		for _, fde := range fdes {
			for i, r := range fde.Rows {
				if r.Off < fde.Start || r.Off >= fde.End || i > 0 && r.Off <= fde.Rows[i-1].Off {
					t.Fatalf("FDE %#x-%#x: row %d at %#x out of order or range", fde.Start, fde.End, i, r.Off)
				}
			}
		}
	})
}

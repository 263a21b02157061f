package decode

import (
	"debug/elf"
	"encoding/binary"
	"testing"
)

// TestRelocData holds each machine's relocation data to what its readers
// assume: absolute relocations write 4 or 8 bytes, and the widths and
// names that decode's messages print.
func TestRelocData(t *testing.T) {
	tests := []struct {
		m     elf.Machine
		order binary.ByteOrder
		typ   uint32
		width uint64
		name  string
	}{
		{elf.EM_X86_64, binary.LittleEndian, uint32(elf.R_X86_64_PC32), 4, "R_X86_64_PC32"},
		{elf.EM_X86_64, binary.LittleEndian, uint32(elf.R_X86_64_NONE), 1, "R_X86_64_NONE"},
		{elf.EM_AARCH64, binary.LittleEndian, uint32(elf.R_AARCH64_CALL26), 4, "R_AARCH64_CALL26"},
		{elf.EM_AARCH64, binary.LittleEndian, 314, 4, "type 314"},
		{elf.EM_PPC64, binary.BigEndian, uint32(elf.R_PPC64_ADDR16_HA), 2, "R_PPC64_ADDR16_HA"},
		{elf.EM_PPC64, binary.LittleEndian, uint32(elf.R_PPC64_PCREL34), 8, "R_PPC64_PCREL34"},
	}
	for _, tt := range tests {
		a, err := archFor(tt.m, tt.order)
		if err != nil {
			t.Fatal(err)
		}
		if w := relocWidth(a, tt.typ); w != tt.width {
			t.Errorf("%v type %d: width %d, want %d", tt.m, tt.typ, w, tt.width)
		}
		if n := relocTypeName(a, tt.typ); n != tt.name {
			t.Errorf("%v type %d: name %q, want %q", tt.m, tt.typ, n, tt.name)
		}
		for _, abs := range a.Relocs.Abs {
			if w := a.Relocs.Width(abs); w != 4 && w != 8 {
				t.Errorf("%v: absolute type %d writes %d bytes", tt.m, abs, w)
			}
		}
	}
}

package decode

import (
	"debug/elf"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestArchObjects parses the small objects of testdata, one for each
// supported target (their .S files say how they were built), and compares
// them with debug/elf.
func TestArchObjects(t *testing.T) {
	tests := []struct {
		file   string
		arch   string
		relocs []uint32 // types of the .text relocations, in order
	}{
		{"../testdata/bad/base.o", "x86_64", []uint32{uint32(elf.R_X86_64_PLT32)}},
		{"testdata/arm64.o", "arm64", []uint32{
			uint32(elf.R_AARCH64_CALL26), uint32(elf.R_AARCH64_ADR_PREL_PG_HI21), uint32(elf.R_AARCH64_LDST64_ABS_LO12_NC)}},
		{"testdata/ppc64le.o", "ppc64le", ppc64TextRelocs},
		{"testdata/ppc64be.o", "ppc64", ppc64TextRelocs},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if f.Arch.Name != tt.arch {
				t.Errorf("arch %s, want %s", f.Arch.Name, tt.arch)
			}
			if err := checkFile(f, data); err != nil {
				t.Error(err)
			}
			compareWithDebugELF(t, tt.file, f, data)
			var types []uint32
			for _, r := range f.SectionByName(".text").Relocs {
				types = append(types, r.Type)
			}
			if diff := cmp.Diff(tt.relocs, types); diff != "" {
				t.Errorf(".text relocation types (-want +got):\n%s", diff)
			}
		})
	}
}

// ppc64TextRelocs are the relocations of testdata/ppc64.S's .text.
var ppc64TextRelocs = []uint32{
	uint32(elf.R_PPC64_REL16_HA), uint32(elf.R_PPC64_REL16_LO), uint32(elf.R_PPC64_REL24),
	uint32(elf.R_PPC64_TOC16_HA), uint32(elf.R_PPC64_TOC16_LO_DS),
}

// TestPPC64ELFv1 rejects an ELFv1 object, by its e_flags and, with those
// cleared, by its .opd section.
func TestPPC64ELFv1(t *testing.T) {
	data, err := os.ReadFile("testdata/ppc64-elfv1.o")
	if err != nil {
		t.Fatal(err)
	}
	const want = "ppc64 ELFv1 objects (function descriptors in .opd) are not supported"
	unflagged := append([]byte(nil), data...)
	clear(unflagged[48:52]) // e_flags
	for _, d := range [][]byte{data, unflagged} {
		if f, err := Parse("v1.o", d); f != nil || err == nil || err.Error() != want {
			t.Errorf("Parse = %v, %v; want error %s", f, err, want)
		}
	}
}

package difftest

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/objcheck/objcheck/internal/xarch/ppc64asm"
	"golang.org/x/arch/arm64/arm64asm"
)

// wordMnemonics are, per kind of site, the mnemonics objdump's syntax
// gives the instructions wordArches match, as x/arch's GNU printers spell
// them: the oracle of TestWordSites.
var wordMnemonics = map[SiteKind][]string{
	StackSite: {"stp", "ldp", "sub", "add", "mov", "stdu", "addi", "std", "ld", "mflr", "mtlr"},
	JumpSite: {"b", "br", "cbz", "cbnz", "tbz", "tbnz", "bc", "bctr",
		"beq", "bne", "blt", "bge", "ble", "bgt", "bdnz", "bdz", "bso", "bns", "bnl", "bng"},
	ReturnSite: {"ret", "blr"},
}

// wordText disassembles the 4-byte word of an arm64 or ppc64 object.
func wordText(f *elf.File, word []byte) string {
	if f.Machine == elf.EM_AARCH64 {
		inst, err := arm64asm.Decode(word)
		if err != nil {
			return "(bad)"
		}
		return arm64asm.GNUSyntax(inst)
	}
	inst, err := ppc64asm.Decode(word, f.ByteOrder)
	if err != nil {
		return "(bad)"
	}
	return ppc64asm.GNUSyntax(inst, 0)
}

// TestWordSites finds the mutation sites of the arm64 and ppc64 fixtures
// (both byte orders) and checks each against x/arch's disassembly: its
// mnemonic is one of its kind's, and its mutant holds the machine's nop
// there and is otherwise the object.
func TestWordSites(t *testing.T) {
	for _, obj := range []string{"arm64/clean.o", "arm64/stack.o", "ppc64/clean.o", "ppc64/clean_be.o", "ppc64/stack.o"} {
		t.Run(obj, func(t *testing.T) {
			path := filepath.Join("../testdata", obj)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := elf.NewFile(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			sites, err := Sites(data)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[SiteKind]int{}
			for _, s := range sites {
				kinds[s.Kind]++
				word := data[s.FileOffset : s.FileOffset+4]
				text := wordText(f, word)
				op, _, _ := strings.Cut(text, " ")
				op = strings.TrimRight(strings.Split(op, ".")[0], "+-")
				if !slices.Contains(wordMnemonics[s.Kind], op) {
					t.Errorf("%s: disassembles as %q, not a %s site", s, text, s.Kind)
				}
			}
			for k := range numSiteKinds {
				if kinds[k] == 0 {
					t.Errorf("no %s site", k)
				}
			}
			ms, err := Mutants([]Object{{Set: "fixture", Dir: "../testdata", Path: obj}}, 5, 1)
			if err != nil || len(ms) == 0 {
				t.Fatalf("mutants: %v (%d)", err, len(ms))
			}
			for _, m := range ms {
				a := wordArches[f.Machine]
				nop := a.nopBytes(f.ByteOrder)
				if !bytes.Equal(m.Data[m.FileOffset:m.FileOffset+4], nop) {
					t.Errorf("%s: %x at the site, want the nop %x", m, m.Data[m.FileOffset:m.FileOffset+4], nop)
				}
				rest := bytes.Clone(m.Data)
				copy(rest[m.FileOffset:], data[m.FileOffset:m.FileOffset+4])
				if !bytes.Equal(rest, data) {
					t.Errorf("%s: changed more than the site", m)
				}
			}
		})
	}
}

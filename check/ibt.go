package check

import (
	"debug/elf"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/decode"
)

// validateIBT warns about code and data that take the address of an
// instruction that is not an ENDBR landing pad (objtool's validate_ibt).
func (c *checker) validateIBT() {
	for i := range c.prog.Insns {
		c.validateIBTInsn(&c.prog.Insns[i])
	}
	for _, sec := range c.prog.Sections {
		if sec.IsExec() || sec.Rela == nil || ibtExempt(sec.Name) {
			continue
		}
		for i := range sec.Relocs {
			c.validateIBTData(sec, &sec.Relocs[i])
		}
	}
}

// ibtExemptNames are sections that hold code addresses with no intent to
// branch to them indirectly.
var ibtExemptNames = map[string]bool{
	".altinstructions": true, ".ibt_endbr_seal": true, ".orc_unwind_ip": true,
	".parainstructions": true, ".retpoline_sites": true, ".smp_locks": true,
	".static_call_sites": true, "_error_injection_whitelist": true,
	"_kprobe_blacklist": true, "__bug_table": true, "__ex_table": true,
	"__jump_table": true, "__mcount_loc": true, ".kcfi_traps": true,
}

// ibtExempt reports sections whose relocations IBT ignores.
func ibtExempt(name string) bool {
	return strings.HasPrefix(name, ".discard") && name != ".discard.ibt_endbr_noseal" ||
		strings.HasPrefix(name, ".debug") || ibtExemptNames[name] ||
		strings.Contains(name, "__patchable_function_entries")
}

// validateIBTInsn checks the code address relocations of one instruction.
func (c *checker) validateIBTInsn(in *cfg.Insn) {
	switch in.Kind {
	case arch.Call, arch.CallDynamic, arch.JumpCond, arch.Jump, arch.JumpDynamic,
		arch.JumpDynamicCond, arch.Return, arch.Nop:
		return
	}
	end := uint64(in.Off) + uint64(in.Len)
	for r := c.prog.Reloc(in); r != nil; r = c.relocAfter(in.Sec(), r.Offset+1, end) {
		if r.Sym.Has(cfg.SymStaticCallTramp) {
			continue
		}
		off := r.Sym.Value
		if t := elf.R_X86_64(r.Type); t == elf.R_X86_64_PC32 || t == elf.R_X86_64_PLT32 {
			off += uint64(r.Addend + c.prog.Arch.BranchRelocBias)
		} else {
			off += uint64(r.Addend)
		}
		dest := c.prog.Find(r.Sym.Sec, off)
		if dest == nil {
			continue
		}
		if dest.Kind == arch.Endbr {
			c.endbrUsed[dest.Index] = true
			continue
		}
		if df, f := dest.Func(), in.Func(); df != nil && f != nil && df.Pfunc == f.Pfunc {
			continue
		}
		if dest.Has(cfg.Noendbr) || c.noendbrRange(dest) {
			continue
		}
		c.rep.warnInsn(in, "relocation to !ENDBR: "+c.rep.offstr(dest.Sec(), uint64(dest.Off)))
	}
}

// relocAfter returns the first relocation of sec in [from, end).
func (c *checker) relocAfter(sec *cfg.Section, from, end uint64) *cfg.Rel {
	if from >= end {
		return nil
	}
	r := sec.RelocInRange(from, end-from)
	if r == nil {
		return nil
	}
	return &cfg.Rel{Reloc: r, Sym: c.prog.Syms[r.Sym.Index]}
}

// noendbrRange accepts the address just past a symbol that starts with
// ENDBR or is annotated: the end of a code range.
func (c *checker) noendbrRange(in *cfg.Insn) bool {
	sym := in.Sec().SymbolContaining(uint64(in.Off) - 1)
	if sym == nil {
		return false
	}
	first := c.prog.Find(sym.Sec, sym.Offset)
	if first == nil || first.Kind != arch.Endbr && !first.Has(cfg.Noendbr) {
		return false
	}
	return uint64(in.Off) == sym.Offset+sym.Len
}

// validateIBTData checks one data relocation.
func (c *checker) validateIBTData(sec *cfg.Section, r *decode.Reloc) {
	sym := c.prog.Syms[r.Sym.Index]
	dest := c.prog.Find(sym.Sec, sym.Value+uint64(r.Addend))
	if dest != nil && dest.Kind == arch.Endbr {
		c.endbrUsed[dest.Index] = true
	}
	if dest == nil || dest.Kind == arch.Endbr || dest.Has(cfg.Noendbr) {
		return
	}
	c.rep.warnAt(sec, r.Offset, "data relocation to !ENDBR: "+c.rep.offstr(dest.Sec(), uint64(dest.Off)))
}

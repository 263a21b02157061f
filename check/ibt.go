package check

import (
	"debug/elf"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/cfg"
	"github.com/objcheck/objcheck/decode"
)

// validateIBT warns about code and data that take the address of an
// instruction that is not an ENDBR landing pad (objtool's validate_ibt),
// from the scan of the graph that startIBT began.
func (c *checker) validateIBT(scan *ibtScan) {
	c.endbrUsed = scan.used
	for _, f := range scan.findings {
		to := c.rep.offstr(c.prog.Sec(f.dest), uint64(f.dest.Off))
		if f.in != nil {
			c.rep.warnInsn(f.in, "relocation to !ENDBR: "+to)
		} else {
			c.rep.warnAt(f.sec, f.off, "data relocation to !ENDBR: "+to)
		}
	}
}

// An ibtFinding is one warning of validateIBT: an address of dest taken
// by instruction in, or else by the data relocation at sec+off.
type ibtFinding struct {
	in   *cfg.Insn
	sec  *cfg.Section
	off  uint64
	dest *cfg.Insn
}

// An ibtScan is what validateIBT reads off the graph: its findings in
// objtool's order, and the ENDBRs whose address code or data takes.
type ibtScan struct {
	prog     *cfg.Program
	findings []ibtFinding
	used     map[int32]bool
}

// A pendingIBT is an IBT scan running beside the walks (see beside).
type pendingIBT struct {
	done chan struct{}
	scan *ibtScan
}

// startIBT starts the scan for validateIBT, with --ibt (nil without), so
// that, in a large object, it runs while the functions are walked
// (vmlinux.o: 76-92 ms off the run). That is safe because the scan reads
// only what the walks never write (instructions' kinds, flags and
// relocations, symbols' marks) and writes only its own result; what the walks do write (stack
// states, the warned marks of symbols) is read when the findings are
// reported, at validateIBT's turn, as before. The first thing after the
// walks that writes the graph (validateReachable) waits for the scan.
func (c *checker) startIBT() *pendingIBT {
	if !c.opts.IBT {
		return nil
	}
	w := &pendingIBT{scan: &ibtScan{prog: c.prog, used: map[int32]bool{}}}
	w.done = c.beside(w.scan.run)
	return w
}

// wait returns the scan once it is done; nil for no scan.
func (w *pendingIBT) wait() *ibtScan {
	if w == nil {
		return nil
	}
	<-w.done
	return w.scan
}

// run scans every instruction, then every data relocation.
func (sc *ibtScan) run() {
	for i := range sc.prog.Insns {
		sc.insn(&sc.prog.Insns[i])
	}
	for _, sec := range sc.prog.Sections {
		if sec.IsExec() || sec.Rela == nil || ibtExempt(sec.Name) {
			continue
		}
		for i := range sec.Relocs {
			sc.data(sec, &sec.Relocs[i])
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

// insn checks the code address relocations of one instruction.
func (sc *ibtScan) insn(in *cfg.Insn) {
	switch in.Kind {
	case arch.Call, arch.CallDynamic, arch.JumpCond, arch.Jump, arch.JumpDynamic,
		arch.JumpDynamicCond, arch.Return, arch.Nop:
		return
	}
	end := uint64(in.Off) + uint64(in.Len)
	for r := sc.prog.Reloc(in); r != nil; r = sc.relocAfter(sc.prog.Sec(in), r.Offset+1, end) {
		if r.Sym.Has(cfg.SymStaticCallTramp) {
			continue
		}
		off := r.Sym.Value
		if t := elf.R_X86_64(r.Type); t == elf.R_X86_64_PC32 || t == elf.R_X86_64_PLT32 {
			off += uint64(r.Addend + sc.prog.Arch.BranchRelocBias)
		} else {
			off += uint64(r.Addend)
		}
		dest := sc.prog.Find(r.Sym.Sec, off)
		if dest == nil {
			continue
		}
		if dest.Kind == arch.Endbr {
			sc.used[sc.prog.IndexOf(dest)] = true
			continue
		}
		if df, f := sc.prog.Func(dest), sc.prog.Func(in); df != nil && f != nil && df.Pfunc == f.Pfunc {
			continue
		}
		if dest.Has(cfg.Noendbr) || sc.noendbrRange(dest) {
			continue
		}
		sc.findings = append(sc.findings, ibtFinding{in: in, dest: dest})
	}
}

// relocAfter returns the first relocation of sec in [from, end).
func (sc *ibtScan) relocAfter(sec *cfg.Section, from, end uint64) *cfg.Rel {
	if from >= end {
		return nil
	}
	r := sec.RelocInRange(from, end-from)
	if r == nil {
		return nil
	}
	return &cfg.Rel{Reloc: r, Sym: sc.prog.Syms[r.Sym.Index]}
}

// noendbrRange accepts the address just past a symbol that starts with
// ENDBR or is annotated: the end of a code range.
func (sc *ibtScan) noendbrRange(in *cfg.Insn) bool {
	sym := sc.prog.Sec(in).SymbolContaining(uint64(in.Off) - 1)
	if sym == nil {
		return false
	}
	first := sc.prog.Find(sym.Sec, sym.Offset)
	if first == nil || first.Kind != arch.Endbr && !first.Has(cfg.Noendbr) {
		return false
	}
	return uint64(in.Off) == sym.Offset+sym.Len
}

// data checks one data relocation.
func (sc *ibtScan) data(sec *cfg.Section, r *decode.Reloc) {
	sym := sc.prog.Syms[r.Sym.Index]
	dest := sc.prog.Find(sym.Sec, sym.Value+uint64(r.Addend))
	if dest != nil && dest.Kind == arch.Endbr {
		sc.used[sc.prog.IndexOf(dest)] = true
	}
	if dest == nil || dest.Kind == arch.Endbr || dest.Has(cfg.Noendbr) {
		return
	}
	sc.findings = append(sc.findings, ibtFinding{sec: sec, off: r.Offset, dest: dest})
}

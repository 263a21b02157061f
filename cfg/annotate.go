package cfg

import (
	"debug/elf"
	"fmt"

	"github.com/objcheck/objcheck/arch"
)

// An annotation is one entry of a .discard.* annotation section: the
// instruction it names, by section and offset.
type annotation struct {
	rel *Rel
	sec *Section
	off uint64
	// generic is set for an entry of .discard.annotate_insn (Linux 6.14+),
	// whose reachable annotation names the trap itself, not what follows.
	generic bool
	index   int // the entry's index in .discard.annotate_insn
	typ     uint32
}

// annotateTypes are the annotation types of .discard.annotate_insn, keyed
// by the name of the 6.12 section that carried each kind.
var annotateTypes = map[string]uint32{
	"noendbr": 1, "retpoline_safe": 2, "instr_begin": 3, "instr_end": 4,
	"validate_unret": 5, "ignore_alts": 6, "intra_function_calls": 7, "reachable": 8,
}

// annotateEntrySize is the size of a .discard.annotate_insn entry:
// .long label - . ; .long type.
const annotateEntrySize = 8

// genericAnnotations returns the .discard.annotate_insn entries of the
// type that stands for the 6.12 section .discard.<name>.
func (p *Program) genericAnnotations(name string) []annotation {
	typ, ok := annotateTypes[name]
	sec := p.sectionByName(".discard.annotate_insn")
	if !ok || sec == nil || uint64(len(sec.Data)) < sec.Size {
		return nil
	}
	var out []annotation
	for off := uint64(0); off+annotateEntrySize <= sec.Size; off += annotateEntrySize {
		if p.File.ByteOrder.Uint32(sec.Data[off+4:]) != typ {
			continue
		}
		r := p.relocAt(sec, off)
		if r == nil {
			continue
		}
		out = append(out, annotation{rel: r, sec: r.Sym.Sec, off: r.Sym.Value + uint64(r.Addend),
			generic: true, index: int(off / annotateEntrySize), typ: typ})
	}
	return out
}

// The ways an annotation's relocation may name its instruction.
const (
	symSection    = 1 << iota // STT_SECTION symbol + addend
	symLocalLabel             // a .L label: the label's offset
	symAny                    // any symbol: its offset + addend
)

// readAnnotations returns the entries of .discard.<name>, checking their
// relocation symbols as objtool does.
func (p *Program) readAnnotations(name string, accept int) ([]annotation, *Problem) {
	sec := p.sectionByName(".discard." + name)
	if sec == nil || sec.Rela == nil {
		return nil, nil
	}
	rname := sec.Rela.Name
	out := make([]annotation, 0, len(sec.Relocs))
	for i := range sec.Relocs {
		r := &Rel{Reloc: &sec.Relocs[i], Sym: p.Syms[sec.Relocs[i].Sym.Index]}
		a := annotation{rel: r, sec: r.Sym.Sec}
		switch {
		case accept&symAny != 0:
			a.off = r.Sym.Value + uint64(r.Addend)
		case r.Sym.Type == elf.STT_SECTION:
			a.off = uint64(r.Addend)
		case accept&symLocalLabel != 0 && r.Sym.Has(SymLocalLabel):
			a.off = r.Sym.Value
		default:
			return nil, &Problem{Plain: true, Fatal: true, Msg: "unexpected relocation symbol type in " + rname}
		}
		out = append(out, a)
	}
	return out, nil
}

// allAnnotations returns the entries of .discard.<name> followed by those
// of the same kind in .discard.annotate_insn: objects of both kernels'
// encodings are read.
func (p *Program) allAnnotations(name string, accept int) ([]annotation, *Problem) {
	anns, prob := p.readAnnotations(name, accept)
	if prob != nil {
		return nil, prob
	}
	return append(anns, p.genericAnnotations(name)...), nil
}

// badEntry is the fatal problem of an annotation naming no instruction.
func badEntry(a annotation, bad string) *Problem {
	if a.generic {
		return &Problem{Plain: true, Fatal: true,
			Msg: fmt.Sprintf("bad .discard.annotate_insn entry: %d of type %d", a.index, a.typ)}
	}
	return &Problem{Plain: true, Fatal: true, Msg: fmt.Sprintf("bad .discard.%s entry", bad)}
}

// markAnnotated applies mark to each instruction .discard.<name> names; a
// missing instruction is the fatal "bad .discard.<bad> entry" (objtool's
// names differ from the sections' in places).
func (p *Program) markAnnotated(name, bad string, accept int, mark func(*Insn) *Problem) *Problem {
	anns, prob := p.allAnnotations(name, accept)
	if prob != nil {
		return prob
	}
	for _, a := range anns {
		in := p.Find(a.sec, a.off)
		if in == nil {
			return badEntry(a, bad)
		}
		if prob := mark(in); prob != nil {
			return prob
		}
	}
	return nil
}

// addIgnores marks every instruction of functions annotated
// STACK_FRAME_NON_STANDARD.
func (p *Program) addIgnores() {
	sec := p.sectionByName(".discard.func_stack_frame_non_standard")
	if sec == nil || sec.Rela == nil {
		return
	}
	for i := range sec.Relocs {
		sym := p.Syms[sec.Relocs[i].Sym.Index]
		var fn *Symbol
		switch sym.Type {
		case elf.STT_FUNC:
			fn = sym
		case elf.STT_SECTION:
			if fn = sym.Sec.FuncAt(uint64(sec.Relocs[i].Addend)); fn == nil {
				continue
			}
		default:
			p.Problems = append(p.Problems, Problem{Plain: true,
				Msg: fmt.Sprintf("unexpected relocation symbol type in %s: %d", sec.Rela.Name, sym.Type)})
			continue
		}
		p.FuncInsns(fn, func(in *Insn) bool { in.Flags |= Ignore; return true })
	}
}

// addUaccessSafe marks the functions allowed to run with user access
// enabled (objtool's uaccess_safe_builtin list).
func (p *Program) addUaccessSafe() {
	if !p.Opts.Uaccess {
		return
	}
	for _, name := range uaccessSafe {
		if s := p.SymbolByName(name); s != nil {
			s.Flags |= SymUaccessSafe
		}
	}
}

// uaccessSafe is objtool 6.12's uaccess_safe_builtin: compiler
// instrumentation and the user-copy helpers allowed to run with AC set.
var uaccessSafe = []string{
	"kasan_report", "kasan_check_range", "__asan_loadN_noabort", "__asan_load1_noabort",
	"__asan_load2_noabort", "__asan_load4_noabort", "__asan_load8_noabort", "__asan_load16_noabort",
	"__asan_storeN_noabort", "__asan_store1_noabort", "__asan_store2_noabort",
	"__asan_store4_noabort", "__asan_store8_noabort", "__asan_store16_noabort",
	"__kasan_check_read", "__kasan_check_write", "__asan_report_load_n_noabort",
	"__asan_report_load1_noabort", "__asan_report_load2_noabort", "__asan_report_load4_noabort",
	"__asan_report_load8_noabort", "__asan_report_load16_noabort", "__asan_report_store_n_noabort",
	"__asan_report_store1_noabort", "__asan_report_store2_noabort", "__asan_report_store4_noabort",
	"__asan_report_store8_noabort", "__asan_report_store16_noabort", "__kcsan_check_access",
	"__kcsan_mb", "__kcsan_wmb", "__kcsan_rmb", "__kcsan_release", "kcsan_found_watchpoint",
	"kcsan_setup_watchpoint", "kcsan_check_scoped_accesses", "kcsan_disable_current",
	"kcsan_enable_current_nowarn", "__tsan_func_entry", "__tsan_func_exit", "__tsan_read_range",
	"__tsan_write_range", "__tsan_read1", "__tsan_read2", "__tsan_read4", "__tsan_read8",
	"__tsan_read16", "__tsan_write1", "__tsan_write2", "__tsan_write4", "__tsan_write8",
	"__tsan_write16", "__tsan_read_write1", "__tsan_read_write2", "__tsan_read_write4",
	"__tsan_read_write8", "__tsan_read_write16", "__tsan_volatile_read1", "__tsan_volatile_read2",
	"__tsan_volatile_read4", "__tsan_volatile_read8", "__tsan_volatile_read16",
	"__tsan_volatile_write1", "__tsan_volatile_write2", "__tsan_volatile_write4",
	"__tsan_volatile_write8", "__tsan_volatile_write16", "__tsan_atomic8_load",
	"__tsan_atomic16_load", "__tsan_atomic32_load", "__tsan_atomic64_load", "__tsan_atomic8_store",
	"__tsan_atomic16_store", "__tsan_atomic32_store", "__tsan_atomic64_store",
	"__tsan_atomic8_exchange", "__tsan_atomic16_exchange", "__tsan_atomic32_exchange",
	"__tsan_atomic64_exchange", "__tsan_atomic8_fetch_add", "__tsan_atomic16_fetch_add",
	"__tsan_atomic32_fetch_add", "__tsan_atomic64_fetch_add", "__tsan_atomic8_fetch_sub",
	"__tsan_atomic16_fetch_sub", "__tsan_atomic32_fetch_sub", "__tsan_atomic64_fetch_sub",
	"__tsan_atomic8_fetch_and", "__tsan_atomic16_fetch_and", "__tsan_atomic32_fetch_and",
	"__tsan_atomic64_fetch_and", "__tsan_atomic8_fetch_or", "__tsan_atomic16_fetch_or",
	"__tsan_atomic32_fetch_or", "__tsan_atomic64_fetch_or", "__tsan_atomic8_fetch_xor",
	"__tsan_atomic16_fetch_xor", "__tsan_atomic32_fetch_xor", "__tsan_atomic64_fetch_xor",
	"__tsan_atomic8_fetch_nand", "__tsan_atomic16_fetch_nand", "__tsan_atomic32_fetch_nand",
	"__tsan_atomic64_fetch_nand", "__tsan_atomic8_compare_exchange_strong",
	"__tsan_atomic16_compare_exchange_strong", "__tsan_atomic32_compare_exchange_strong",
	"__tsan_atomic64_compare_exchange_strong", "__tsan_atomic8_compare_exchange_weak",
	"__tsan_atomic16_compare_exchange_weak", "__tsan_atomic32_compare_exchange_weak",
	"__tsan_atomic64_compare_exchange_weak", "__tsan_atomic8_compare_exchange_val",
	"__tsan_atomic16_compare_exchange_val", "__tsan_atomic32_compare_exchange_val",
	"__tsan_atomic64_compare_exchange_val", "__tsan_atomic_thread_fence",
	"__tsan_atomic_signal_fence", "__tsan_unaligned_read16", "__tsan_unaligned_write16",
	"write_comp_data", "check_kcov_mode", "__sanitizer_cov_trace_pc",
	"__sanitizer_cov_trace_const_cmp1", "__sanitizer_cov_trace_const_cmp2",
	"__sanitizer_cov_trace_const_cmp4", "__sanitizer_cov_trace_const_cmp8",
	"__sanitizer_cov_trace_cmp1", "__sanitizer_cov_trace_cmp2", "__sanitizer_cov_trace_cmp4",
	"__sanitizer_cov_trace_cmp8", "__sanitizer_cov_trace_switch", "kmsan_copy_to_user",
	"kmsan_disable_current", "kmsan_enable_current", "kmsan_report", "kmsan_unpoison_entry_regs",
	"kmsan_unpoison_memory", "__msan_chain_origin", "__msan_get_context_state",
	"__msan_instrument_asm_store", "__msan_metadata_ptr_for_load_1",
	"__msan_metadata_ptr_for_load_2", "__msan_metadata_ptr_for_load_4",
	"__msan_metadata_ptr_for_load_8", "__msan_metadata_ptr_for_load_n",
	"__msan_metadata_ptr_for_store_1", "__msan_metadata_ptr_for_store_2",
	"__msan_metadata_ptr_for_store_4", "__msan_metadata_ptr_for_store_8",
	"__msan_metadata_ptr_for_store_n", "__msan_poison_alloca", "__msan_warning",
	"ubsan_type_mismatch_common", "__ubsan_handle_type_mismatch", "__ubsan_handle_type_mismatch_v1",
	"__ubsan_handle_shift_out_of_bounds", "__ubsan_handle_load_invalid_value",
	"stackleak_track_stack", "ftrace_likely_update", "__stack_chk_fail",
	"csum_partial_copy_generic", "copy_mc_fragile", "copy_mc_fragile_handle_tail",
	"copy_mc_enhanced_fast_string", "rep_stos_alternative", "rep_movs_alternative",
	"copy_to_nontemporal",
}

// flagMark returns a marker that sets f.
func flagMark(f InsnFlags) func(*Insn) *Problem {
	return func(in *Insn) *Problem { in.Flags |= f; return nil }
}

// readIntraFunctionCalls turns annotated calls into jumps that keep the
// call's push of the return address.
func (p *Program) readIntraFunctionCalls() *Problem {
	return p.markAnnotated("intra_function_calls", "intra_function_call", symSection, p.intraFunctionCall)
}

// intraFunctionCall converts one annotated call.
func (p *Program) intraFunctionCall(in *Insn) *Problem {
	if p.AFlags(in)&arch.FlagLinkRegCall != 0 && p.Arch.PCReadNotCall {
		return nil // an annotated PC read: already not a call
	}
	if in.Kind != arch.Call {
		return &Problem{At: in, Fatal: true, Msg: "intra_function_call not a direct call"}
	}
	in.Kind = arch.Jump
	p.setJumpDest(in, p.Find(p.Sec(in), uint64(p.Target(in))))
	if !in.hasJumpDest() {
		return &Problem{At: in, Fatal: true, Msg: fmt.Sprintf("can't find call dest at %s+0x%x", p.Sec(in).Name, p.Target(in))}
	}
	return nil
}

// addDeadEnds clears the dead end of the instruction before each
// .discard.reachable label (a WARN's ud2).
func (p *Program) addDeadEnds() *Problem {
	anns, prob := p.allAnnotations("reachable", symSection|symLocalLabel)
	if prob != nil {
		return prob
	}
	for _, a := range anns {
		var in *Insn
		if a.generic {
			if in = p.Find(a.sec, a.off); in == nil {
				return badEntry(a, "")
			}
		} else if at := p.Find(a.sec, a.off); at != nil {
			in = p.Prev(at)
		} else if a.sec != nil && a.off == a.sec.Size {
			in = p.lastInsn(a.sec)
		}
		if in == nil {
			name := ""
			if a.sec != nil {
				name = a.sec.Name
			}
			return &Problem{Plain: true, Fatal: true, Msg: fmt.Sprintf("can't find reachable insn at %s+0x%x", name, a.off)}
		}
		in.Flags &^= DeadEnd
	}
	return nil
}

// lastInsn finds an instruction starting in the last ten bytes of sec.
func (p *Program) lastInsn(sec *Section) *Insn {
	end := uint64(0)
	if sec.Size > 10 {
		end = sec.Size - 10
	}
	for off := sec.Size; off > end; off-- {
		if in := p.Find(sec, off-1); in != nil {
			return in
		}
	}
	return nil
}

// readRetpolineHints marks the annotated indirect branches as safe.
func (p *Program) readRetpolineHints() *Problem {
	return p.markAnnotated("retpoline_safe", "retpoline_safe", symSection, func(in *Insn) *Problem {
		switch in.Kind {
		case arch.JumpDynamic, arch.CallDynamic, arch.Return, arch.Nop:
			in.Flags |= RetpolineSafe
			return nil
		}
		return &Problem{At: in, Fatal: true, Msg: "retpoline_safe hint not an indirect jump/call/ret/nop"}
	})
}

// readInstrHints counts instrumentation_begin/end marks; as in objtool
// 6.12, begin marks are read only when end marks exist.
func (p *Program) readInstrHints() *Problem {
	if p.sectionByName(".discard.instr_end") == nil && p.sectionByName(".discard.annotate_insn") == nil {
		return nil
	}
	if prob := p.markAnnotated("instr_end", "instr_end", symSection, func(in *Insn) *Problem { p.makeRare(in).instr--; return nil }); prob != nil {
		return prob
	}
	return p.markAnnotated("instr_begin", "instr_begin", symSection, func(in *Insn) *Problem { p.makeRare(in).instr++; return nil })
}

// readUnretHints marks the VALIDATE_UNRET_BEGIN roots. objtool reports a
// missing instruction with the instr_end message; so do we.
func (p *Program) readUnretHints() *Problem {
	anns, prob := p.allAnnotations("validate_unret", symSection)
	if prob != nil {
		return prob
	}
	for _, a := range anns {
		in := p.Find(a.sec, a.off)
		if in == nil {
			return badEntry(a, "instr_end")
		}
		in.Flags |= Unret
	}
	return nil
}

// addIgnoreAlts marks instructions whose alternatives are not followed.
func (p *Program) addIgnoreAlts() *Problem {
	return p.markAnnotated("ignore_alts", "ignore_alts", symSection, flagMark(IgnoreAlts))
}

// readNoendbrHints marks instructions that may be reached indirectly
// without an ENDBR.
func (p *Program) readNoendbrHints() *Problem {
	return p.markAnnotated("noendbr", "noendbr", symAny, flagMark(Noendbr))
}

package cfg

import (
	"debug/elf"
	"strings"

	"github.com/objcheck/objcheck/arch"
)

// globalNoreturns are the functions outside an object known never to
// return (objtool 6.12's noreturns.h).
var globalNoreturns = map[string]bool{
	"__fortify_panic": true, "__ia32_sys_exit": true, "__ia32_sys_exit_group": true,
	"__kunit_abort": true, "__module_put_and_kthread_exit": true, "__reiserfs_panic": true,
	"__stack_chk_fail": true, "__tdx_hypercall_failed": true,
	"__ubsan_handle_builtin_unreachable": true, "__x64_sys_exit": true,
	"__x64_sys_exit_group": true, "arch_cpu_idle_dead": true,
	"bch2_trans_in_restart_error": true, "bch2_trans_restart_error": true,
	"bch2_trans_unlocked_error": true, "cpu_bringup_and_idle": true,
	"cpu_startup_entry": true, "do_exit": true, "do_group_exit": true, "do_task_dead": true,
	"ex_handler_msr_mce": true, "hlt_play_dead": true, "hv_ghcb_terminate": true,
	"kthread_complete_and_exit": true, "kthread_exit": true, "kunit_try_catch_throw": true,
	"machine_real_restart": true, "make_task_dead": true, "mpt_halt_firmware": true,
	"nmi_panic_self_stop": true, "panic": true, "panic_smp_self_stop": true,
	"rest_init": true, "rewind_stack_and_make_dead": true, "rust_begin_unwind": true,
	"rust_helper_BUG": true, "sev_es_terminate": true, "snp_abort": true,
	"start_kernel": true, "stop_this_cpu": true, "usercopy_abort": true,
	"x86_64_start_kernel": true, "x86_64_start_reservations": true,
	"xen_cpu_bringup_again": true, "xen_start_kernel": true,
}

// rustNoreturnSuffixes and rustNoreturnInfixes are objtool's heuristics
// for Rust's panicking functions, whose mangled names vary.
var rustNoreturnSuffixes = []string{
	"_4core3num22from_ascii_radix_panic",
	"_4core5sliceSp15copy_from_slice17len_mismatch_fail",
	"_4core6option13expect_failed",
	"_4core6option13unwrap_failed",
	"_4core6result13unwrap_failed",
	"_4core6result13unwrap_failed19unwrap_failed_inner",
	"_4core9panicking5panic",
	"_4core9panicking9panic_fmt",
	"_4core9panicking14panic_explicit",
	"_4core9panicking14panic_nounwind",
	"_4core9panicking18panic_bounds_check",
	"_4core9panicking18panic_nounwind_fmt",
	"_4core9panicking19assert_failed_inner",
	"_4core9panicking30panic_null_pointer_dereference",
	"_4core9panicking32panic_null_reference_constructed",
	"_4core9panicking36panic_misaligned_pointer_dereference",
	"_7___rustc17rust_begin_unwind",
}

var rustNoreturnInfixes = []string{
	"_4core9panicking13assert_failed",
	"_4core9panicking11panic_const24panic_const_",
}

// isKnownNoreturn reports whether objtool knows the function name never
// to return: one of its list, or a Rust panic.
func isKnownNoreturn(name string) bool { return globalNoreturns[name] || isRustNoreturn(name) }

// isRustNoreturn reports Rust functions that never return.
func isRustNoreturn(name string) bool {
	if !strings.HasPrefix(name, "_R") {
		return false
	}
	for _, s := range rustNoreturnSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	for _, s := range rustNoreturnInfixes {
		if strings.Contains(name, s) {
			return true
		}
	}
	return strings.Contains(name, "_4core5slice5index") && strings.Contains(name, "slice_") &&
		strings.HasSuffix(name, "_fail")
}

// deadEndFunc reports whether calls to fn never return: a global known to
// be noreturn, or a local function with no return, whose sibling calls
// lead only to such functions (objtool's __dead_end_function).
func (p *Program) deadEndFunc(fn *Symbol, depth int) bool {
	if fn == nil {
		return false
	}
	if depth > 0 || !p.deadEndMemo {
		return p.findDeadEndFunc(fn, depth)
	}
	if !fn.Has(symDeadEndKnown) {
		fn.Flags |= symDeadEndKnown
		if p.findDeadEndFunc(fn, 0) {
			fn.Flags |= symDeadEnd
		}
	}
	return fn.Has(symDeadEnd)
}

// findDeadEndFunc is deadEndFunc without the memo.
func (p *Program) findDeadEndFunc(fn *Symbol, depth int) bool {
	if (fn.Bind == elf.STB_GLOBAL || fn.Bind == elf.STB_WEAK) && isKnownNoreturn(fn.Name) {
		return true
	}
	if fn.Bind == elf.STB_WEAK || fn.Len == 0 {
		return false
	}
	first := p.Find(fn.Sec, fn.Offset)
	if first == nil || p.Func(first) == nil {
		return false
	}
	hasReturn := false
	p.FuncInsns(fn, func(in *Insn) bool {
		hasReturn = in.Kind.IsReturn()
		return !hasReturn
	})
	if hasReturn {
		return false
	}
	return p.siblingsDeadEnd(fn, depth)
}

// siblingsDeadEnd decides a return-less function by its first sibling
// call: it is a dead end only if that call's target is one.
func (p *Program) siblingsDeadEnd(fn *Symbol, depth int) bool {
	result := true
	p.FuncInsns(fn, func(in *Insn) bool {
		if !p.IsSiblingCall(in) {
			return true
		}
		switch {
		case !in.hasJumpDest():
			result = false // sibling call to another file
		case depth == 5:
			result = false // mutual sibling calls: not dead ends
		default:
			result = p.deadEndFunc(p.Func(p.JumpDest(in)), depth+1)
		}
		return false
	})
	return result
}

// IsJumpTableJump reports whether a dynamic jump goes through a known
// switch table, directly or as the retpoline replacement of one.
func (p *Program) IsJumpTableJump(in *Insn) bool {
	if hasJumpTable(in) || in.Has(SwitchJump) {
		return true
	}
	g := p.Group(in)
	return g != nil && g.Orig != nil && hasJumpTable(g.Orig.First)
}

// hasJumpTable reports a dynamic jump whose switch table findJumpTable
// found.
func hasJumpTable(in *Insn) bool {
	return (in.Kind == arch.JumpDynamic || in.Kind == arch.CallDynamic) && in.Has(tableJump)
}

// jumpTableOf returns the switch table of a dynamic jump, or nil.
func (p *Program) jumpTableOf(in *Insn) *Rel {
	if !hasJumpTable(in) {
		return nil
	}
	return p.jumpTables[in]
}

// IsSiblingCall reports whether a jump leaves its function as a tail call.
func (p *Program) IsSiblingCall(in *Insn) bool {
	if p.Func(in) != nil && in.Kind == arch.JumpDynamic {
		return !p.IsJumpTableJump(in)
	}
	return in.Kind.IsStaticJump() && p.CallDest(in) != nil
}

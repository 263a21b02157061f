package check

import (
	"regexp"
	"sync"
)

// A Rule is the stable identifier of one kind of diagnostic. The set is
// closed: every line objcheck prints about an object has one, and
// RuleUnclassified is kept for a message no rule's patterns match (a test
// keeps that from happening for every message the tests see).
type Rule uint8

// The rules, grouped as objtool's checks are. Their IDs (Rule.String) are
// stable; the numbers are not.
const (
	RuleUnclassified Rule = iota

	// The stack state.
	RuleStackStateMismatch
	RuleUndefinedStackState
	RuleUnsupportedStackModification
	RuleUnsupportedStackRealignment
	RuleUnknownStackInstruction
	RuleAlternativeStackConflict
	RuleReturnModifiedFrame
	RuleSiblingCallModifiedFrame
	RuleContextSwitchInFunction
	RuleCFISaveRestore
	RuleCFIMissing
	RuleValidatingIgnoredFunction
	RuleUnexpectedEndOfSection
	RuleMissingSize
	RulePushfStackExhausted

	// Frame pointers and link registers.
	RuleCallWithoutFrame
	RuleBPScratch
	RuleSignedRASiblingCall
	RuleSignedRAReturn
	RuleRASignedTwice
	RuleRAAuthWithoutSign

	// Reachability.
	RuleFallThrough
	RuleUnreachable
	RuleMissingNoreturn

	// User access and the direction flag.
	RuleUaccessCall
	RuleUaccessReturn
	RuleUaccessRecursiveEnable
	RuleUaccessRedundantDisable
	RuleDFCall
	RuleDFReturn
	RuleDFRedundant

	// noinstr.
	RuleNoinstrCall
	RuleNoinstrReturn
	RuleNoinstrPvOps

	// Speculation mitigations.
	RuleRetpolineIndirectJump
	RuleRetpolineIndirectCall
	RuleRethunkReturn
	RuleSLSMissingInt3
	RuleUnretEarlyIndirectCall
	RuleUnretUnresolved
	RuleUnretRetBeforeUntrain
	RuleUnretEnd
	RuleUnretFailed

	// IBT.
	RuleIBTMissingEndbr
	RuleIBTDataMissingEndbr
	RuleIBTNotIndirectTarget
	RuleIBTIretHintWithoutEndbr

	// Building the graph.
	RuleCannotDecode
	RuleDecoderNote
	RuleJumpDestNotFound
	RuleCallDestNotFound
	RuleIntraFunctionCall
	RuleCallToNonFunction
	RuleFentryTailCall
	RuleSwitchTableNotFound
	RuleBadUnwindHint
	RuleBadAnnotation
	RuleBadSymbol
	RuleBadSpecialSection
	RuleBadAlternative

	// Writing.
	RuleSectionExists
	RuleStaticCallKey
	RuleORCUnknownState

	// objcheck's own.
	RuleDWARFCFAMismatch
	RuleDWARFRAMismatch
	RuleDWARFUnreadable
	RuleUnsupportedObject
	RuleBadObject
	RuleCannotOpen
	RuleWriteFailed
	RuleInternalError

	numRules
)

// A RuleInfo documents a rule: what SARIF's reportingDescriptor and the
// README say about it.
type RuleInfo struct {
	// ID is the rule's stable name, as in "stack-state-mismatch".
	ID string
	// Short is a one-line description, Full says what the rule checks,
	// and Help how to fix what it finds.
	Short, Full, Help string
	// Example is one message of the rule, as the text line prints it after
	// "objtool: ".
	Example string
	// Fatal is set for rules whose findings always stop the check.
	Fatal bool
}

// A ruleDef is a rule's documentation and the patterns of its messages.
// A pattern is matched against the message without the location objtool
// puts before it; the groups fn and sec name the function or section of a
// message that has no other location.
type ruleDef struct {
	RuleInfo
	patterns []string
}

var ruleDefs = [numRules]ruleDef{
	RuleUnclassified: {RuleInfo{ID: "unclassified",
		Short:   "A message objcheck has no rule for",
		Full:    "A line whose message matches no rule's patterns: a bug in objcheck's rule table.",
		Help:    "Report it; the message itself says what was found.",
		Example: "(none)"}, nil},

	RuleStackStateMismatch: {RuleInfo{ID: "stack-state-mismatch",
		Short: "Paths join with different stack states",
		Full: "Two paths reach the same instruction with a different CFA, saved registers, frame type, " +
			"DRAP state or return-address signing; the state recorded first is 1, the one arriving is 2. " +
			"An unwinder could not describe both.",
		Help:    "Make every path leave the stack as the others do at the join (the same pushes and pops), or annotate the code with unwind hints.",
		Example: "f_mismatch+0xa: stack state mismatch: reg1[3]=-1+0 reg2[3]=-2-24"},
		[]string{`^stack state mismatch: `}},
	RuleUndefinedStackState: {RuleInfo{ID: "undefined-stack-state",
		Short:   "A stack operation where the stack state is undefined",
		Full:    "An instruction changes the stack inside a function after the stack state became undefined (after an UNWIND_HINT_UNDEFINED, say).",
		Help:    "Give the code a defined state with an unwind hint before it touches the stack.",
		Example: "entry_code+0x10: undefined stack state"},
		[]string{`^undefined stack state$`}},
	RuleUnsupportedStackModification: {RuleInfo{ID: "unsupported-stack-modification",
		Short:   "The CFA base register is changed in a way the checker cannot follow",
		Full:    "An add, lea or move changes the register the CFA is computed from in a way the stack-state machine does not model.",
		Help:    "Use the usual frame setup and teardown sequences, or follow the change with an unwind hint.",
		Example: "f+0x4: unsupported stack register modification"},
		[]string{`^unsupported stack register modification$`}},
	RuleUnsupportedStackRealignment: {RuleInfo{ID: "unsupported-stack-realignment",
		Short:   "A stack realignment the checker cannot follow",
		Full:    "An and of the stack pointer, or a dynamic realignment (DRAP) sequence, that the stack-state machine does not model.",
		Help:    "Realign the stack with the compiler's own DRAP sequence, or describe the frame with unwind hints.",
		Example: "f+0x8: unsupported stack pointer realignment"},
		[]string{`^unsupported stack pointer realignment$`}},
	RuleUnknownStackInstruction: {RuleInfo{ID: "unknown-stack-instruction",
		Short:   "An instruction touches the stack in an unknown way",
		Full:    "An instruction reads or writes the stack pointer, or stack memory, in a form the decoder's stack operations do not describe.",
		Help:    "Rewrite the sequence with ordinary pushes, pops and stack-pointer arithmetic.",
		Example: "f+0x3: unknown stack-related instruction"},
		[]string{`^unknown stack-related (instruction|memory operation)$`}},
	RuleAlternativeStackConflict: {RuleInfo{ID: "alternative-stack-conflict",
		Short:   "Alternatives leave the stack differently",
		Full:    "An instruction of an alternative's replacement has a stack state different from the original instruction at the same offset; one ORC entry cannot describe both.",
		Help:    "Make the original and replacement code change the stack at the same offsets in the same way.",
		Example: "f+0x10: stack layout conflict in alternatives: .altinstr_replacement+0x4"},
		[]string{`^stack layout conflict in alternatives: `}},
	RuleReturnModifiedFrame: {RuleInfo{ID: "return-modified-frame",
		Short:   "A return with the stack not as it was at entry",
		Full:    "A return is reached with the CFA, stack size or saved registers different from the function's entry state: something pushed is not popped.",
		Help:    "Pop everything pushed and restore the frame pointer on every path to the return.",
		Example: "f_ret_mod+0x1: return with modified stack frame"},
		[]string{`^return with modified stack frame$`}},
	RuleSiblingCallModifiedFrame: {RuleInfo{ID: "sibling-call-modified-frame",
		Short:   "A tail call with the frame still set up",
		Full:    "A jump out of the function (a tail call, or an indirect jump that is no switch table) is taken with the stack not as it was at entry.",
		Help:    "Tear the frame down before the tail call, or make the indirect jump a recognised switch table.",
		Example: "f_sib+0x1: sibling call from callable instruction with modified stack frame"},
		[]string{`^sibling call from callable instruction with modified stack frame$`}},
	RuleContextSwitchInFunction: {RuleInfo{ID: "context-switch-in-function",
		Short:   "A context-switching instruction inside a function",
		Full:    "sysenter, syscall, sysret, iret, a far return or jump, or eret inside an STT_FUNC: its stack after the instruction cannot be described.",
		Help:    "Move the code out of the function symbol (SYM_CODE), or follow the instruction with an unwind hint.",
		Example: "f_ctx+0x0: unsupported instruction in callable function"},
		[]string{`^unsupported instruction in callable function$`}},
	RuleCFISaveRestore: {RuleInfo{ID: "cfi-save-restore",
		Short:   "An UNWIND_HINT_RESTORE without its save",
		Full:    "A restore hint has no save hint before it in its function, or the walk reached the restore before the save.",
		Help:    "Pair each UNWIND_HINT_RESTORE with an UNWIND_HINT_SAVE earlier on the same path.",
		Example: "f+0x20: no corresponding CFI save for CFI restore"},
		[]string{`^no corresponding CFI save for CFI restore$`, `^objtool isn't smart enough to handle this CFI save/restore combo$`}},
	RuleCFIMissing: {RuleInfo{ID: "cfi-missing",
		Short:   "A hinted instruction without a stack state",
		Full:    "An instruction with an unwind hint has no stack state to take: an internal inconsistency of the hints.",
		Help:    "Check the unwind hints around the place; report it if they are right.",
		Example: "CFI missing"},
		[]string{`^CFI missing$`}},
	RuleValidatingIgnoredFunction: {RuleInfo{ID: "validating-ignored-function",
		Short:   "A walk entered a function marked to be ignored",
		Full:    "A path from another function runs into a function that STACK_FRAME_NON_STANDARD says to ignore.",
		Help:    "Do not jump or fall into an ignored function; ignore the caller too, or remove the annotation.",
		Example: "f+0x0: BUG: why am I validating an ignored function?"},
		[]string{`^BUG: why am I validating an ignored function\?$`}},
	RuleUnexpectedEndOfSection: {RuleInfo{ID: "unexpected-end-of-section",
		Short:   "A path runs off the end of its section",
		Full:    "The walk reaches the end of the section with a defined stack state: the code falls off into whatever the linker puts next.",
		Help:    "End the code with a return, a jump or a call to a noreturn function, or annotate the dead end.",
		Example: ".text: unexpected end of section"},
		[]string{`^(?P<sec>\S+): unexpected end of section$`}},
	RuleMissingSize: {RuleInfo{ID: "missing-size",
		Short:   "A function symbol with no size",
		Full:    "An STT_FUNC symbol has st_size 0, so the checker cannot tell where the function ends.",
		Help:    "Close the function with SYM_FUNC_END (or .size in plain assembly).",
		Example: "f() is missing an ELF size annotation"},
		[]string{`^(?P<fn>\S+)\(\) is missing an ELF size annotation$`}},
	RulePushfStackExhausted: {RuleInfo{ID: "pushf-stack-exhausted",
		Short:   "Too many nested PUSHF in alternatives",
		Full:    "More than 31 nested pushf inside alternatives: the checker's stack of saved user-access flags is full.",
		Help:    "Nest fewer pushf/popf pairs.",
		Example: "f+0x30: PUSHF stack exhausted"},
		[]string{`^PUSHF stack exhausted$`}},

	RuleCallWithoutFrame: {RuleInfo{ID: "call-without-frame",
		Short: "A call before the frame is set up",
		Full: "A call from a function that has not yet saved and set up its frame pointer (x86, --stackval), saved its " +
			"link register and frame record (arm64), or saved LR and allocated a frame (ppc64): the caller drops out of stack traces.",
		Help:    "Set up the frame before the first call (FRAME_BEGIN, stp x29, x30 / mov x29, sp, or mflr / std / stdu).",
		Example: "f_nofp+0x0: call without frame pointer save/setup"},
		[]string{`^call without frame pointer save/setup$`}},
	RuleBPScratch: {RuleInfo{ID: "bp-scratch",
		Short:   "The frame pointer used as a scratch register",
		Full:    "The function changes the frame-pointer register without a frame (--stackval); reported at its return.",
		Help:    "Leave the frame-pointer register alone, or set up a proper frame.",
		Example: "f+0x12: BP used as a scratch register"},
		[]string{`^BP used as a scratch register$`}},
	RuleSignedRASiblingCall: {RuleInfo{ID: "signed-ra-sibling-call",
		Short:   "A tail call with the return address still signed (arm64)",
		Full:    "A tail call is taken after paciasp and before autiasp: the callee returns with a signed link register.",
		Help:    "Authenticate the return address (autiasp) before the tail call.",
		Example: "f+0x14: sibling call with signed return address"},
		[]string{`^sibling call with signed return address$`}},
	RuleSignedRAReturn: {RuleInfo{ID: "signed-ra-return",
		Short:   "A return with the return address still signed (arm64)",
		Full:    "A ret is reached on a path where the return address was signed and not authenticated.",
		Help:    "Authenticate the return address (autiasp, or use retaa) on every path to the return.",
		Example: "f+0x18: return with signed return address"},
		[]string{`^return with signed return address$`}},
	RuleRASignedTwice: {RuleInfo{ID: "ra-signed-twice",
		Short:   "The return address signed twice (arm64)",
		Full:    "A paciasp on a path where the return address is already signed.",
		Help:    "Sign the return address once, at entry.",
		Example: "f+0x8: return address signed twice"},
		[]string{`^return address signed twice$`}},
	RuleRAAuthWithoutSign: {RuleInfo{ID: "ra-auth-without-sign",
		Short:   "The return address authenticated but never signed (arm64)",
		Full:    "An autiasp on a path where the return address was not signed: the authentication fails at run time.",
		Help:    "Sign the return address at entry on every path that authenticates it.",
		Example: "f+0x10: return address authenticated but not signed"},
		[]string{`^return address authenticated but not signed$`}},

	RuleFallThrough: {RuleInfo{ID: "fall-through",
		Short:   "A function falls through into the next one",
		Full:    "A path reaches the end of a function and continues into the next function symbol.",
		Help:    "End every path with a return, a jump, or a call to a noreturn function; mark noreturn callees __noreturn.",
		Example: "f_fall() falls through to next function f_next()"},
		[]string{`^(?P<fn>\S+)\(\) falls through to next function \S+\(\)$`}},
	RuleUnreachable: {RuleInfo{ID: "unreachable",
		Short:   "An instruction no path reaches",
		Full:    "Code that no function walk or unwind hint reaches, after every other check found nothing.",
		Help:    "Remove the dead code, or annotate the dead end before it correctly (a missing __noreturn often is the cause).",
		Example: "f_unreach+0x5: unreachable instruction"},
		[]string{`^unreachable instruction$`}},
	RuleMissingNoreturn: {RuleInfo{ID: "missing-noreturn",
		Short:   "A call to a function that does not return, unannotated",
		Full:    "An unreachable instruction follows a call that ends the path: the callee is known not to return but lacks the annotation.",
		Help:    "Mark the callee __noreturn in its declaration (and add it to objtool's noreturns.h list).",
		Example: "f+0x9: panic() is missing a __noreturn annotation"},
		[]string{`^\S+\(\) is missing a __noreturn annotation$`}},

	RuleUaccessCall: {RuleInfo{ID: "uaccess-call",
		Short:   "A call with user access enabled",
		Full:    "A call made between stac and clac (--uaccess) to a function not known to be UACCESS-safe: it runs with SMAP off.",
		Help:    "Close the user-access window before the call, or call only UACCESS-safe functions inside it.",
		Example: "f+0x6: call to ext_func() with UACCESS enabled"},
		[]string{`^call to .*\(\) with UACCESS enabled$`}},
	RuleUaccessReturn: {RuleInfo{ID: "uaccess-return",
		Short:   "A return with the wrong user-access state",
		Full:    "A return with user access still enabled, or, from a UACCESS-safe function, with it disabled.",
		Help:    "Balance stac and clac on every path to the return.",
		Example: "f+0xa: return with UACCESS enabled"},
		[]string{`^return with UACCESS (enabled|disabled from a UACCESS-safe function)$`}},
	RuleUaccessRecursiveEnable: {RuleInfo{ID: "uaccess-recursive-enable",
		Short:   "stac with user access already enabled",
		Full:    "A stac on a path where user access is already enabled.",
		Help:    "Enable user access once per window.",
		Example: "f+0x3: recursive UACCESS enable"},
		[]string{`^recursive UACCESS enable$`}},
	RuleUaccessRedundantDisable: {RuleInfo{ID: "uaccess-redundant-disable",
		Short:   "clac with user access already disabled",
		Full:    "A clac where user access is not enabled, or in a UACCESS-safe function, which must not change it.",
		Help:    "Disable user access only where it was enabled.",
		Example: "f+0x3: redundant UACCESS disable"},
		[]string{`^redundant UACCESS disable$`, `^UACCESS-safe disables UACCESS$`}},
	RuleDFCall: {RuleInfo{ID: "df-call",
		Short:   "A call with the direction flag set",
		Full:    "A call made between std and cld: the callee expects DF clear.",
		Help:    "Clear the direction flag (cld) before the call.",
		Example: "f+0x4: call to ext_func() with DF set"},
		[]string{`^call to .*\(\) with DF set$`}},
	RuleDFReturn: {RuleInfo{ID: "df-return",
		Short:   "A return with the direction flag set",
		Full:    "A return on a path where std was not undone by cld.",
		Help:    "Clear the direction flag before returning.",
		Example: "f+0x5: return with DF set"},
		[]string{`^return with DF set$`}},
	RuleDFRedundant: {RuleInfo{ID: "df-redundant",
		Short:   "std with DF set, or cld with DF clear",
		Full:    "A std on a path where the direction flag is already set, or a cld inside a function where it is clear.",
		Help:    "Set and clear the direction flag once, in pairs.",
		Example: "f+0x2: recursive STD"},
		[]string{`^recursive STD$`, `^redundant CLD$`}},

	RuleNoinstrCall: {RuleInfo{ID: "noinstr-call",
		Short:   "A call out of noinstr code",
		Full:    "A call from .noinstr.text (or entry text) to a function that may be instrumented, outside instrumentation_begin/end.",
		Help:    "Call only noinstr functions, or wrap the call in instrumentation_begin() and instrumentation_end().",
		Example: "f+0x7: call to a_instr() leaves .noinstr.text section"},
		[]string{`^call to .*\(\) leaves \.noinstr\.text section$`}},
	RuleNoinstrReturn: {RuleInfo{ID: "noinstr-return",
		Short:   "A return with instrumentation enabled",
		Full:    "A noinstr function returns between instrumentation_begin() and instrumentation_end().",
		Help:    "End the instrumentation section before returning.",
		Example: "f+0x9: return with instrumentation enabled"},
		[]string{`^return with instrumentation enabled$`}},
	RuleNoinstrPvOps: {RuleInfo{ID: "noinstr-pv-ops",
		Short:   "A pv_ops call from noinstr code to a function outside it",
		Full:    "A paravirt call in noinstr code whose pv_ops slot holds a function outside the noinstr sections, or a pv_ops table objcheck cannot read.",
		Help:    "Make every function installed in that pv_ops slot noinstr.",
		Example: "pv_ops[1]: xen_op"},
		[]string{`^pv_ops\[\d+\]: `, `^paravirt confusion$`, `^no func for pv_ops\[\]$`}},

	RuleRetpolineIndirectJump: {RuleInfo{ID: "retpoline-indirect-jump",
		Short:   "An indirect jump in a retpoline build",
		Full:    "An indirect jump not converted to a retpoline thunk (--retpoline) and not annotated as safe.",
		Help:    "Use JMP_NOSPEC or a __x86_indirect_thunk, or annotate the jump ANNOTATE_RETPOLINE_SAFE.",
		Example: "f_sib+0x1: indirect jump found in MITIGATION_RETPOLINE build"},
		[]string{`^indirect jump found in MITIGATION_RETPOLINE build$`}},
	RuleRetpolineIndirectCall: {RuleInfo{ID: "retpoline-indirect-call",
		Short:   "An indirect call in a retpoline build",
		Full:    "An indirect call not converted to a retpoline thunk (--retpoline) and not annotated as safe.",
		Help:    "Use CALL_NOSPEC or a __x86_indirect_thunk, or annotate the call ANNOTATE_RETPOLINE_SAFE.",
		Example: "f_dyncall+0x4: indirect call found in MITIGATION_RETPOLINE build"},
		[]string{`^indirect call found in MITIGATION_RETPOLINE build$`}},
	RuleRethunkReturn: {RuleInfo{ID: "rethunk-return",
		Short:   "A plain return in a return-thunk build",
		Full:    "A ret not going through the return thunk (--rethunk) and not annotated as safe.",
		Help:    "Return with RET (the thunk), or annotate the return ANNOTATE_UNRET_SAFE.",
		Example: "f+0x3: 'naked' return found in MITIGATION_RETHUNK build"},
		[]string{`^'naked' return found in MITIGATION_RETHUNK build$`}},
	RuleSLSMissingInt3: {RuleInfo{ID: "sls-missing-int3",
		Short:   "No int3 after a return or indirect jump",
		Full:    "A ret or indirect jump not followed by int3 (--sls): the CPU may speculate straight past it.",
		Help:    "Build with -mharden-sls=all, or put int3 after the instruction in assembly.",
		Example: "f_unreach+0x0: missing int3 after ret"},
		[]string{`^missing int3 after (ret|indirect jump)$`}},
	RuleUnretEarlyIndirectCall: {RuleInfo{ID: "unret-early-indirect-call",
		Short:   "An indirect call before the return-buffer untraining",
		Full:    "An entry path makes an indirect call before UNTRAIN_RET (--unret).",
		Help:    "Untrain (UNTRAIN_RET) before any indirect call on the entry path.",
		Example: "entry+0x8: early indirect call"},
		[]string{`^early indirect call$`}},
	RuleUnretUnresolved: {RuleInfo{ID: "unret-unresolved",
		Short:   "A jump or call the unret walk cannot follow",
		Full:    "After linking, a jump or call on an entry path has no resolved destination (--unret).",
		Help:    "Check the linked object: the destination should be defined in it.",
		Example: "entry+0x4: unresolved jump target after linking?!?"},
		[]string{`^unresolved jump target after linking\?!\?$`, `^Unresolved function after linking!\?: `}},
	RuleUnretRetBeforeUntrain: {RuleInfo{ID: "unret-ret-before-untrain",
		Short:   "A return before the return-buffer untraining",
		Full:    "An entry path returns before UNTRAIN_RET (--unret).",
		Help:    "Untrain before the first return on the entry path.",
		Example: "entry+0xc: RET before UNTRAIN"},
		[]string{`^RET before UNTRAIN$`}},
	RuleUnretEnd: {RuleInfo{ID: "unret-end",
		Short:   "An entry path ends without untraining",
		Full:    "The unret walk reached the end of a path without UNTRAIN_RET (--unret).",
		Help:    "Untrain on every entry path.",
		Example: "entry+0x10: teh end!"},
		[]string{`^teh end!$`}},
	RuleUnretFailed: {RuleInfo{ID: "unret-failed",
		Short:   "An entry point failed the unret check",
		Full:    "The summary, at the entry annotated ANNOTATE_UNRET_BEGIN, of an unret finding on one of its paths (--unret).",
		Help:    "Fix the finding printed before it.",
		Example: "entry+0x0: Failed UNRET validation"},
		[]string{`^Failed UNRET validation$`}},

	RuleIBTMissingEndbr: {RuleInfo{ID: "ibt-missing-endbr",
		Short:   "Code takes the address of a place without ENDBR",
		Full:    "An instruction's relocation points at code that does not start with ENDBR (--ibt): an indirect branch there faults.",
		Help:    "Start the target with ENDBR (SYM_FUNC_START, not SYM_FUNC_START_NOALIGN), or make the reference direct.",
		Example: "f+0x3: relocation to !ENDBR: no_endbr+0x0"},
		[]string{`^relocation to !ENDBR: `}},
	RuleIBTDataMissingEndbr: {RuleInfo{ID: "ibt-data-missing-endbr",
		Short:   "Data holds the address of a place without ENDBR",
		Full:    "A data relocation points at code that does not start with ENDBR (--ibt): a function pointer to it faults when called.",
		Help:    "Start the target with ENDBR, or stop storing its address.",
		Example: "table+0x8: data relocation to !ENDBR: a_no_endbr+0x0"},
		[]string{`(^|: )data relocation to !ENDBR: `}},
	RuleIBTNotIndirectTarget: {RuleInfo{ID: "ibt-not-indirect-target",
		Short:   "A module entry point never called indirectly",
		Full:    "init_module or cleanup_module has an ENDBR that nothing references (--ibt --module).",
		Help:    "Reference the function through module_init/module_exit as usual.",
		Example: "init_module(): not an indirect call target"},
		[]string{`^(?P<fn>\S+)\(\): not an indirect call target$`}},
	RuleIBTIretHintWithoutEndbr: {RuleInfo{ID: "ibt-iret-hint-without-endbr",
		Short:   "An IRET-frame entry point without ENDBR",
		Full:    "A global symbol with UNWIND_HINT_IRET_REGS, an exception entry, does not start with ENDBR (--ibt).",
		Help:    "Start the entry with ENDBR.",
		Example: "asm_exc+0x0: UNWIND_HINT_IRET_REGS without ENDBR"},
		[]string{`^UNWIND_HINT_IRET_REGS without ENDBR$`}},

	RuleCannotDecode: {RuleInfo{ID: "cannot-decode",
		Short:   "An instruction the decoder does not know",
		Full:    "Bytes in an executable section that do not decode, or that the walk reaches as data.",
		Help:    "Move data out of text sections, or mark it (mapping symbols, .byte in a non-function); report a decoder gap.",
		Example: "can't decode instruction at .text:0x12"},
		[]string{`^can't decode instruction( at (?P<sec>\S+):0x[0-9a-f]+)?$`}},
	RuleDecoderNote: {RuleInfo{ID: "decoder-note",
		Short:   "A remark of the instruction decoder",
		Full:    "An instruction the decoder notes but accepts: a notrack prefix, an invalid LEA encoding, ENQCMD.",
		Help:    "Usually nothing; a notrack prefix in an IBT kernel deserves a look.",
		Example: "notrack prefix found at .noinstr.text:0x4"},
		[]string{`^(notrack prefix found|invalid LEA encoding|ENQCMD instruction) at `}},
	RuleJumpDestNotFound: {RuleInfo{ID: "jump-dest-not-found",
		Short:   "A jump into no instruction",
		Full:    "A jump whose destination is not the start of a decoded instruction: into the middle of one, or outside the code.",
		Help:    "Check the jump's destination and relocation.",
		Example: "f+0x2: can't find jump dest instruction at .text+0x41"},
		[]string{`^can't find jump dest instruction at `}},
	RuleCallDestNotFound: {RuleInfo{ID: "call-dest-not-found",
		Short:   "A call into no function",
		Full:    "A call whose destination has no function symbol or instruction.",
		Help:    "Call a function symbol, or annotate an intra-function call.",
		Example: "f+0x5: can't find call dest symbol at .text+0x40"},
		[]string{`^can't find call dest (symbol )?at `}},
	RuleIntraFunctionCall: {RuleInfo{ID: "intra-function-call",
		Short:   "A call inside a function, unannotated or malformed",
		Full:    "A call to a place in the same function without ANNOTATE_INTRA_FUNCTION_CALL, or an annotation on an instruction that is not a direct call.",
		Help:    "Annotate the call with ANNOTATE_INTRA_FUNCTION_CALL, or call a function symbol.",
		Example: "f+0x4: unannotated intra-function call"},
		[]string{`^unannotated intra-function call$`, `^intra_function_call not a direct call$`}},
	RuleCallToNonFunction: {RuleInfo{ID: "call-to-non-function",
		Short:   "A call to a symbol that is not a function",
		Full:    "A call from inside a function to a symbol that is not STT_FUNC.",
		Help:    "Make the target a function (SYM_FUNC_START), or annotate it.",
		Example: "f+0x4: unsupported call to non-function"},
		[]string{`^unsupported call to non-function$`}},
	RuleFentryTailCall: {RuleInfo{ID: "fentry-tail-call",
		Short:   "A jump to __fentry__",
		Full:    "A tail call to the ftrace entry (--mcount), which expects to be called.",
		Help:    "Call __fentry__, do not jump to it.",
		Example: "f+0x0: tail call to __fentry__ !?!?"},
		[]string{`^tail call to __fentry__ !\?!\?$`}},
	RuleSwitchTableNotFound: {RuleInfo{ID: "switch-table-not-found",
		Short:   "An indirect jump with no switch table found",
		Full:    "An indirect jump that looks like a switch whose table (and, on arm64 and ppc64, its bound) could not be recovered.",
		Help:    "Build with -fno-jump-tables, or keep the table in a form the checker recognises.",
		Example: "sw+0x1f: can't find switch jump table"},
		[]string{`^can't find switch jump table$`}},
	RuleBadUnwindHint: {RuleInfo{ID: "bad-unwind-hint",
		Short:   "A malformed unwind hint",
		Full:    "The unwind hint section is missing, has the wrong entry size, or an entry names no instruction or an unknown base register.",
		Help:    "Check the UNWIND_HINT macros and the toolchain that built the object.",
		Example: "can't find insn for unwind_hints[3]"},
		[]string{`^(missing \.rela\.discard\.unwind_hints section|struct unwind_hint size mismatch|` +
			`can't find (reloc|insn) for unwind_hints\[\d+\]|unsupported unwind_hint sp base reg -?\d+|` +
			`unexpected relocation symbol type in \S*unwind_hints)$`}},
	RuleBadAnnotation: {RuleInfo{ID: "bad-annotation",
		Short:   "A malformed annotation",
		Full:    "A .discard annotation entry names no instruction, uses a relocation of the wrong kind, or annotates the wrong kind of instruction.",
		Help:    "Check the annotation macro at the place; annotations must point at the instruction they describe.",
		Example: "bad .discard.retpoline_safe entry"},
		[]string{`^bad \.discard\.`, `^unexpected relocation symbol type in `, `^can't find reachable insn at `,
			`^retpoline_safe hint not an indirect jump/call/ret/nop$`}},
	RuleBadSymbol: {RuleInfo{ID: "bad-symbol",
		Short:   "A malformed function symbol",
		Full:    "A function symbol at the end of its section, with no instruction at its start, or a .cold part with no parent.",
		Help:    "Check the symbol's definition (SYM_FUNC_START/END, .size) or the object's origin.",
		Example: "f(): can't find starting instruction"},
		[]string{`^(?P<fn>\S+)\(\): (STT_FUNC at end of section|can't find starting instruction|can't find parent function)$`}},
	RuleBadSpecialSection: {RuleInfo{ID: "bad-special-section",
		Short:   "A malformed special section",
		Full:    "An alternatives, jump-label, exception or feature-fixup table of the wrong size, or an entry without the relocations or instructions it names.",
		Help:    "Check the macros that emit the table and the toolchain.",
		Example: ".altinstructions+0xc: can't find new reloc"},
		[]string{`size not a multiple of \d+$`, `^can't find (orig|new|key) reloc$`, `^special: can't find (orig|new) instruction$`,
			`^can't find last new alternative instruction$`, `^bad feature fixup entry$`}},
	RuleBadAlternative: {RuleInfo{ID: "bad-alternative",
		Short:   "An alternative the checker cannot follow",
		Full:    "An empty or overlapping alternative entry, a jump in a replacement to no instruction, or a jump label on an instruction that is neither a jump nor a nop.",
		Help:    "Check the ALTERNATIVE or static-branch code at the place.",
		Example: "f+0x8: empty alternative entry"},
		[]string{`^empty alternative entry$`, `^weirdly overlapping alternative! `, `^can't find alternative jump destination$`,
			`^unsupported instruction at jump label$`, `^unsupported relocation in alternatives section$`}},

	RuleSectionExists: {RuleInfo{ID: "section-exists",
		Short:   "The object already has a section objtool would write",
		Full:    "A section the writing actions generate is already in the object (objtool ran on it before); it is skipped, and for .orc_unwind the check stops.",
		Help:    "Run objtool once per object, on the compiler's output.",
		Example: "file already has .orc_unwind section, skipping"},
		[]string{`^file already has .* skipping$`}},
	RuleStaticCallKey: {RuleInfo{ID: "static-call-key",
		Short:   "A static call whose key is missing",
		Full:    "A static-call trampoline with a malformed name or no __SCK__ key symbol (--static-call).",
		Help:    "Declare the static call with DEFINE_STATIC_CALL / DECLARE_STATIC_CALL.",
		Example: "static_call: can't find static_call_key symbol: __SCK__foo"},
		[]string{`^static_call: `}},
	RuleORCUnknownState: {RuleInfo{ID: "orc-unknown-state",
		Short:   "A stack state ORC cannot encode",
		Full:    "A hint type or a CFA or frame-pointer base register with no ORC encoding (--orc).",
		Help:    "Describe the frame with a supported unwind hint.",
		Example: "f+0x10: unknown CFA base reg 7"},
		[]string{`^unknown (unwind hint type|CFA base reg|BP base reg) -?\d+$`}},

	RuleDWARFCFAMismatch: {RuleInfo{ID: "dwarf-cfa-mismatch",
		Short:   "The CFA disagrees with the object's DWARF CFI",
		Full:    "The CFA objcheck computed at an instruction differs from the compiler's .eh_frame or .debug_frame (--dwarf); reported at the first instruction of each disagreeing run.",
		Help:    "Fix the CFI directives (hand-written assembly), or the frame code objcheck models wrongly: report it.",
		Example: "f+0x1: DWARF CFA mismatch: objcheck rsp+8, .eh_frame rsp+16"},
		[]string{`^DWARF CFA mismatch: `}},
	RuleDWARFRAMismatch: {RuleInfo{ID: "dwarf-ra-mismatch",
		Short:   "The return address's place disagrees with the DWARF CFI",
		Full:    "At a call on arm64 or ppc64, objcheck and the object's CFI disagree on where the return address is saved (--dwarf).",
		Help:    "Fix the .cfi_offset of the link register, or the save it describes.",
		Example: "f+0x8: DWARF return address mismatch: objcheck ra in lr, .debug_frame ra at cfa-8"},
		[]string{`^DWARF return address mismatch: `}},
	RuleDWARFUnreadable: {RuleInfo{ID: "dwarf-unreadable",
		Short:   "The object's DWARF CFI cannot be read",
		Full:    "The .eh_frame or .debug_frame section is malformed (--dwarf).",
		Help:    "Check the toolchain that built the object.",
		Example: "DWARF CFI unreadable: truncated CIE at 0x10"},
		[]string{`^DWARF CFI unreadable: `}},
	RuleUnsupportedObject: {RuleInfo{ID: "unsupported-object",
		Short:   "An object of a machine or ABI objcheck does not check",
		Full:    "The object is well-formed but for a machine or ABI objcheck has no decoder for.",
		Help:    "Nothing to fix in the object; run objcheck on x86-64, arm64 or ppc64 (ELFv2) objects.",
		Example: "riscv objects are not supported yet", Fatal: true},
		[]string{` objects are not supported yet$`, ` are not supported$`, `^unsupported machine `}},
	RuleBadObject: {RuleInfo{ID: "bad-object",
		Short:   "A malformed ELF object",
		Full:    "The file is not a relocatable ELF object, or a header, section, symbol or relocation of it does not fit the file.",
		Help:    "Rebuild the object; the message names the first inconsistency.",
		Example: "section 5 (.rela.text): sh_link 9 out of range (8 sections)", Fatal: true}, nil},
	RuleCannotOpen: {RuleInfo{ID: "cannot-open",
		Short:   "The object cannot be read",
		Full:    "Opening or reading the file failed.",
		Help:    "Check the path and its permissions.",
		Example: "Can't open 'missing.o': No such file or directory", Fatal: true}, nil},
	RuleWriteFailed: {RuleInfo{ID: "write-failed",
		Short:   "The object cannot be written",
		Full:    "Writing the checked object with the sections the actions add failed; the object is left as it was.",
		Help:    "Check the disk space and the permissions of the object's directory.",
		Example: "can't write the object: no space left on device", Fatal: true}, nil},
	RuleInternalError: {RuleInfo{ID: "internal-error",
		Short:   "objcheck failed on the object",
		Full:    "objcheck itself failed while checking the object; its other objects are checked as usual.",
		Help:    "Report it with the object.",
		Example: "internal error: index out of range", Fatal: true}, nil},
}

// A ruleMatcher is one compiled pattern of a rule.
type ruleMatcher struct {
	rule    Rule
	re      *regexp.Regexp
	fn, sec int // the indexes of the groups fn and sec, or -1
}

// matchers returns every rule's patterns in rule order, which is the
// order they are tried in. They are compiled on first use, not at
// package initialisation: most runs print no warning, and compiling them
// cost every process 1.8 ms and 8.7k allocations before main.
var matchers = sync.OnceValue(compileMatchers)

func compileMatchers() []ruleMatcher {
	var ms []ruleMatcher
	for r := range ruleDefs {
		for _, p := range ruleDefs[r].patterns {
			re := regexp.MustCompile(p)
			ms = append(ms, ruleMatcher{rule: Rule(r), re: re,
				fn: re.SubexpIndex("fn"), sec: re.SubexpIndex("sec")})
		}
	}
	return ms
}

// A classification is a message's rule and the names it mentions.
type classification struct {
	rule    Rule
	fn, sec string
}

// classify finds the rule of a message (without its location prefix).
func classify(msg string) classification {
	ms := matchers()
	for i := range ms {
		m := &ms[i]
		sub := m.re.FindStringSubmatch(msg)
		if sub == nil {
			continue
		}
		c := classification{rule: m.rule}
		if m.fn >= 0 {
			c.fn = sub[m.fn]
		}
		if m.sec >= 0 {
			c.sec = sub[m.sec]
		}
		return c
	}
	return classification{rule: RuleUnclassified}
}

// String returns the rule's stable ID.
func (r Rule) String() string { return r.Info().ID }

// Info returns the rule's documentation.
func (r Rule) Info() RuleInfo {
	if r >= numRules {
		return ruleDefs[RuleUnclassified].RuleInfo
	}
	return ruleDefs[r].RuleInfo
}

// Rules lists every rule, in a fixed order.
func Rules() []Rule {
	rs := make([]Rule, numRules)
	for i := range rs {
		rs[i] = Rule(i)
	}
	return rs
}

// RuleByID returns the rule with that ID.
func RuleByID(id string) (Rule, bool) {
	for r := range ruleDefs {
		if ruleDefs[r].ID == id {
			return Rule(r), true
		}
	}
	return RuleUnclassified, false
}

// ClassifyMessage returns the rule of a message as printed after
// "objtool: ", with or without the location objtool puts before it.
func ClassifyMessage(msg string) Rule {
	if c := classify(msg); c.rule != RuleUnclassified {
		return c.rule
	}
	if _, bare, ok := cutLocation(msg); ok {
		return classify(bare).rule
	}
	return RuleUnclassified
}

// cutLocation splits "f+0x12: msg" or "f+0x12 (.text+0x40): msg" into
// the location and the message.
func cutLocation(msg string) (loc, bare string, ok bool) {
	m := locationPrefix().FindStringIndex(msg)
	if m == nil {
		return "", msg, false
	}
	return msg[:m[1]-2], msg[m[1]:], true
}

// locationPrefix matches the location objtool puts before a message.
var locationPrefix = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\S+\+0x[0-9a-f]+( \(\S+\+0x[0-9a-f]+\))?: `)
})

// Package arch is the one contract between the per-architecture decoders
// (arch/x86, arch/arm64, arch/ppc64) and the shared checker.
//
// A decoder says what an instruction is (its Kind) and what it does to the
// stack (its StackOps). It never decides what is allowed: the checker does.
// An Arch is mostly data (registers, the state at function entry, how branch
// relocations are biased) plus one decode function.
//
// Register numbers are per architecture and are the numbers printed in
// diagnostics ("reg1[3]=-1+0"); on x86-64 they are objtool's CFI numbers.
package arch

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// These are the errors a Decode function returns, wrapped with detail.
var (
	// ErrTruncated means the bytes ran out in the middle of an instruction.
	ErrTruncated = errors.New("truncated instruction")
	// ErrUnknown means the bytes are not an instruction the decoder knows.
	ErrUnknown = errors.New("unknown instruction")
)

// A Kind classifies an instruction for control flow. Its values follow
// objtool's enum insn_type, plus the kinds the link-register architectures
// need (pointer authentication).
type Kind uint8

// The instruction kinds. The zero value, Other, has no control-flow effect.
const (
	Other           Kind = iota // no control-flow effect
	JumpCond                    // conditional direct jump
	Jump                        // unconditional direct jump
	JumpDynamic                 // jump through a register or memory
	JumpDynamicCond             // conditional jump through a register
	Call                        // direct call
	CallDynamic                 // call through a register or memory
	Return                      // return to the caller
	ContextSwitch               // syscall, sysret, iret, eret, rfid: leaves the function's frame model
	Bug                         // ud2, brk #0x800, trap: a dead end unless annotated or tabled as a warning
	Nop                         // does nothing
	Stac                        // x86 stac: user access enabled
	Clac                        // x86 clac: user access disabled
	Std                         // x86 std: direction flag set
	Cld                         // x86 cld: direction flag cleared
	Trap                        // int3 and the like: never returns here, not a BUG
	Endbr                       // x86 endbr64: an indirect-branch landing pad
	SignRA                      // arm64 paciasp/pacibsp: the return address becomes signed
	AuthRA                      // arm64 autiasp/autibsp: the return address is authenticated
	TrapCond                    // conditional trap (ppc tdnei): falls through
	ReturnCond                  // conditional return (ppc beqlr)
	numKinds
)

var kindNames = [numKinds]string{
	Other: "other", JumpCond: "jump-cond", Jump: "jump", JumpDynamic: "jump-dynamic",
	JumpDynamicCond: "jump-dynamic-cond", Call: "call", CallDynamic: "call-dynamic",
	Return: "return", ContextSwitch: "context-switch", Bug: "bug", Nop: "nop",
	Stac: "stac", Clac: "clac", Std: "std", Cld: "cld", Trap: "trap", Endbr: "endbr",
	SignRA: "sign-ra", AuthRA: "auth-ra", TrapCond: "trap-cond", ReturnCond: "return-cond",
}

// String returns the kind's short name, or "Kind(n)" for an unknown value.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// kindFlags holds the control-flow properties of each kind.
var kindFlags = [numKinds]uint8{
	JumpCond: flagJump | flagStatic, Jump: flagJump | flagStatic,
	JumpDynamic: flagJump | flagDynamic, JumpDynamicCond: flagJump | flagDynamic,
	Call: flagCall | flagStatic, CallDynamic: flagCall | flagDynamic,
	Return: flagReturn, ReturnCond: flagReturn,
}

const (
	flagJump uint8 = 1 << iota
	flagCall
	flagStatic
	flagDynamic
	flagReturn
)

func (k Kind) has(f uint8) bool { return k < numKinds && kindFlags[k]&f == f }

// IsTransfer reports whether k transfers control: any jump, call or
// return.
func (k Kind) IsTransfer() bool { return k < numKinds && kindFlags[k] != 0 }

// IsJump reports whether k is any jump, direct or dynamic.
func (k Kind) IsJump() bool { return k.has(flagJump) }

// IsStaticJump reports whether k is a direct jump, conditional or not.
func (k Kind) IsStaticJump() bool { return k.has(flagJump | flagStatic) }

// IsDynamicJump reports whether k jumps through a register or memory.
func (k Kind) IsDynamicJump() bool { return k.has(flagJump | flagDynamic) }

// IsReturn reports whether k returns, always or on a condition (ppc64
// beqlr): a function with either returns.
func (k Kind) IsReturn() bool { return k.has(flagReturn) }

// IsCall reports whether k is a call, direct or dynamic.
func (k Kind) IsCall() bool { return k.has(flagCall) }

// A Reg is an architecture-defined register number. Every value below the
// Arch's NumRegs names a real register (on x86-64, 0 is %rax), so "no
// register" is said by an operand's type, never by a Reg value.
type Reg uint8

// A SrcType says where a stack operation's value comes from (objtool's
// enum op_src_type).
type SrcType uint8

// The source types.
const (
	SrcReg         SrcType = iota // the value of Reg
	SrcRegIndirect                // memory at Reg+Off
	SrcConst                      // a constant
	SrcPop                        // popped from the stack
	SrcPopF                       // flags popped from the stack
	SrcAdd                        // Reg+Off, or Reg plus register Index when HasIndex
	SrcAnd                        // Reg&Off (stack realignment)
)

// A DstType says where a stack operation's value goes (objtool's enum
// op_dest_type).
type DstType uint8

// The destination types.
const (
	DstReg         DstType = iota // register Reg
	DstRegIndirect                // memory at Reg+Off
	DstMem                        // other memory
	DstPush                       // pushed on the stack
	DstPushF                      // flags pushed on the stack
)

// A Src is the source side of a StackOp.
type Src struct {
	Type SrcType
	Reg  Reg
	// Index is a second register added to Reg (x86 add %reg,%rsp), valid when
	// HasIndex is set; Off is then unused.
	Index    Reg
	HasIndex bool
	Off      int32 // see StackOp
}

// A Dst is the destination side of a StackOp.
type Dst struct {
	Type DstType
	Reg  Reg
	Off  int32 // see StackOp
}

// A StackOp is one effect of an instruction on the stack or on a register
// that the stack state tracks (objtool's struct stack_op).
//
// Offsets, immediates and masks are 32 bits, as objtool's (an int): the
// checker's stack state is 32-bit, a stack offset never needs more, and a
// 64-bit mask (ppc64 clrldi, arm64 and) keeps only its low half, which no
// rule reads. At 16 bytes an operation, vmlinux.o's 1.2 million cost 19 MB.
type StackOp struct {
	Dst Dst
	Src Src
}

// MaxOps is the most stack operations one instruction carries.
const MaxOps = 4

// An Insn is one decoded instruction in architecture-neutral form. It holds
// no pointers, so a slice of them costs one allocation per section.
type Insn struct {
	Len  uint8 // encoded length in bytes
	Kind Kind
	// HasTarget is set when Target holds the destination of a direct jump or
	// call, as an offset in the instruction's own section (before any
	// relocation, which overrides it).
	HasTarget bool
	// NOps is the number of valid entries in Ops.
	NOps uint8
	// Flags holds decoder facts the checker may need beyond Kind.
	Flags  InsnFlags
	Target int64
	// Imm is the immediate of a trap or break (arm64 brk, ppc64 tw/td TO
	// field), for the checker to tell BUG from other traps.
	Imm int64
	Ops [MaxOps]StackOp
}

// StackOps returns the instruction's stack operations in execution order.
func (in *Insn) StackOps() []StackOp { return in.Ops[:in.NOps] }

// AddOp appends a stack operation. It reports false, adding nothing, when
// the instruction already holds MaxOps of them.
func (in *Insn) AddOp(op StackOp) bool {
	if int(in.NOps) >= MaxOps {
		return false
	}
	in.Ops[in.NOps] = op
	in.NOps++
	return true
}

// InsnFlags are decoder facts beyond an instruction's Kind.
type InsnFlags uint8

// The instruction flags.
const (
	// FlagNotrack marks an x86 indirect branch with the notrack (0x3e) prefix.
	FlagNotrack InsnFlags = 1 << iota
	// FlagLinkRegCall marks a branch-and-link that reads the PC (bl .+4 on
	// arm64, bcl 20,31,.+4 on ppc64) rather than calling a function.
	FlagLinkRegCall
	// FlagIret marks x86 iret: a context switch, except inside a function,
	// where it is sync_core()'s iret-to-self and pops 40 bytes.
	FlagIret
)

// A Loc is where a register's saved value or the CFA lives: a base and an
// offset. Base is a register number, or one of the negative pseudo bases.
type Loc struct {
	Base int
	Off  int
}

// The pseudo bases of a Loc; the numbers are objtool's and appear in
// diagnostics.
const (
	BaseUndefined  = -1 // not saved / not known
	BaseCFA        = -2 // relative to the canonical frame address
	BaseSPIndirect = -3 // memory at SP + offset holds the CFA
	BaseBPIndirect = -4 // memory at BP + offset holds the CFA
)

// An Arch describes one target. Everything but Decode is data.
type Arch struct {
	Name      string           // "x86_64", "arm64", "ppc64le", "ppc64"
	ByteOrder binary.ByteOrder // byte order of instructions and data
	PtrSize   int              // bytes in a pointer
	InsnAlign int              // every instruction starts at a multiple of this

	NumRegs int // registers numbered 0..NumRegs-1 in stack state
	SP, FP  Reg // stack and frame pointer
	// RA is the pseudo-register that stands for the return address in the
	// stack state (objtool's CFI_RA on x86).
	RA Reg
	// LR is the link register holding the return address at entry, valid
	// when HasLR is set (arm64 x30, ppc64 LR).
	LR    Reg
	HasLR bool
	// CalleeSaved has bit r set when register r is callee-saved and so is
	// tracked when saved to the stack.
	CalleeSaved uint64

	// EntryCFA is the CFA at function entry; EntryRegs lists registers whose
	// saved location is known at entry (x86: RA at CFA-8).
	EntryCFA  Loc
	EntryRegs []RegLoc
	// EntryStackSize is the stack size at entry (x86: 8, the return address).
	EntryStackSize int

	// BranchRelocBias is added to the addend of a relocation on a direct
	// branch to get the offset of its destination in the target symbol
	// (x86: 4, for the PC32 field that ends the instruction).
	BranchRelocBias int64

	// DecodeLock, nil when Decode is safe for concurrent use, is held by
	// every caller while Decode or x/arch's printer for the arch runs.
	// x/arch's arm64 and ppc64 decoders write package-level state, so each
	// such package has one lock for the whole process: several checks, or
	// several tests, in one process decode those arches one at a time.
	DecodeLock sync.Locker

	// Specials are the tables of alternative code paths, in the order
	// objtool reads them.
	Specials []SpecialSection
	// Syms names symbols the checker treats specially.
	Syms Symbols
	// Alts says which alternative paths of special features are followed.
	Alts Alternatives
	// HintBase maps an unwind hint's sp_reg value to the register or pseudo
	// base it names; values not in the map are unsupported.
	HintBase map[uint8]int

	// BackChain is set where frames are linked by a back chain stored at
	// the stack pointer (ppc64) rather than by a frame pointer: a valid
	// frame is then the link register saved and a frame allocated.
	BackChain bool
	// WarnTable is set where a BUG trap is told from a WARN trap by the
	// BUGFLAG_WARNING flag of its __bug_table entry (arm64, ppc64);
	// objtool's x86 relies on annotations instead.
	WarnTable bool
	// TrailingCallsEnd is set where a call that ends a function is taken as
	// a call to a noreturn function: the compiler emits nothing after such
	// a call, and objtool's list of noreturn functions is x86's.
	TrailingCallsEnd bool

	// PCReadNotCall is set where a branch-and-link to the next instruction
	// (FlagLinkRegCall) is the architected way to read the PC and not a
	// call (ppc64 bcl 20,31,.+4, which the return-address predictor
	// ignores); on arm64 bl .+4 is a real call.
	PCReadNotCall bool

	// NoValidation is set where upstream objtool validates no code: it
	// runs, if at all, only to write __mcount_loc (Write.CallOnly), and
	// without a validating option (--stackval and the like) the checker
	// says nothing either.
	NoValidation bool
	// CallSlot is set where the instruction after a call may be a nop
	// that the linker rewrites (into a reload of a register the callee
	// may clobber, the TOC pointer): the instruction after that nop is,
	// for a call that does not return, still the one after the call.
	CallSlot bool
	// CJumpTablesAnywhere is set where a table of code addresses under a
	// symbol (a C jump table) is a switch table in any section, not only
	// in the section objtool's annotation puts it in.
	CJumpTablesAnywhere bool
	// PvOpsStores is set where objtool learns the functions a pv_ops slot
	// may hold also from the stores of .init.text code into pv_ops (mov
	// $func, pv_ops+N(%rip)), not only from the tables' initialisers.
	PvOpsStores bool
	// PCRelSwitchRefs maps the type of a PC-relative relocation by which
	// an instruction refers to a switch table to the bias added to its
	// addend to reach the table (the bytes from the relocated field to
	// the end of the instruction). A table referred to this way is a
	// compiler quirk that can leave dead code behind, so unreachable
	// instructions are then not reported. nil where no reference is
	// PC-relative.
	PCRelSwitchRefs map[uint32]int64
	// LocalEntry returns, from a function symbol's st_other, the offset of
	// its local entry point: where calls from code that shares its global
	// state enter, past the code that sets that state up. nil where every
	// function has one entry, at its address.
	LocalEntry func(other uint8) uint64

	// Relocs describes the machine's relocation types.
	Relocs Relocs

	// AltCode lists name prefixes of sections that hold replacement code
	// without being executable (ppc64 __ftr_alt_*): they are decoded too.
	AltCode []string

	// DWARF names the stack and frame pointers in DWARF's numbering, which
	// the compiler's call-frame information uses.
	DWARF DWARFRegs

	// RegNames names the registers of the stack state by number (RA
	// included), for people reading it.
	RegNames []string
	// Syntax is how objdump prints the machine's code, for listings.
	Syntax Syntax

	// Notes are messages printed while decoding an instruction that carries
	// a flag, each formatted with the section name and the offset.
	Notes []Note

	// FindSwitch recovers the switch table of a dynamic jump from the code
	// before it, on machines whose tables carry no relocations (arm64,
	// ppc64); nil elsewhere. It returns nil, nil when the jump does not use
	// a table (a tail call), and ErrNoSwitchBound (wrapped) when it found a
	// table it cannot bound.
	FindSwitch func(q *SwitchQuery) (*SwitchTable, error)

	// Write is what objtool's writing actions put in objects of this
	// machine; the zero value where objtool writes nothing.
	Write Writing

	// Decode decodes the instruction at the start of code, which sits at
	// offset off of its section, into in (which it overwrites whole). It never
	// panics; on failure it returns an error wrapping ErrTruncated or
	// ErrUnknown and in.Len still says how far to step (at least 1).
	Decode func(code []byte, off uint64, in *Insn) error
}

// Writing is the machine data of objtool's writing actions: relocation
// types, the bytes of patched instructions, the ORC register numbers.
type Writing struct {
	// RelocNone replaces the relocation of a patched instruction;
	// RelocText is the type of a relocation to code (objtool's R_TEXT64),
	// RelocData to data (R_DATA64), RelocAbs the absolute address of
	// __mcount_loc (R_ABS64).
	RelocNone, RelocText, RelocData, RelocAbs uint32
	// Nops[n] is the n-byte nop objtool writes over an n-byte instruction;
	// Rets[n] the n-byte return (and trap, and padding) it writes over a
	// tail call it removes. Empty where it writes neither.
	Nops, Rets [][]byte
	// ORCReg maps a CFA base (a register or a pseudo base) to its ORC
	// register number; nil where objtool writes no ORC.
	ORCReg map[int]uint8
	// ORCBP maps where the frame pointer is saved (undefined, CFA-relative,
	// in the frame pointer register) to the ORC bp_reg number.
	ORCBP map[int]uint8
	// CallOnly is upstream objtool's own decoder on machines where it
	// knows nothing but the call (powerpc, for --mcount): the length of
	// the instruction at the start of code and whether it is a call. nil
	// where objtool decodes fully and the instruction graph is used.
	CallOnly func(code []byte) (n int, call bool)
}

// Relocs describes a machine's relocation types.
type Relocs struct {
	// Width returns how many bytes from its offset a relocation of type t
	// rewrites, 0 for a type that rewrites none or that the kernel never
	// uses.
	Width func(t uint32) uint64
	// Name returns debug/elf's name of type t ("R_X86_64_64"), which for
	// a type debug/elf does not know is a number or "R_...+n".
	Name func(t uint32) string
	// Abs lists the absolute data relocation types, which write S + A in
	// Width bytes: those of the DWARF sections.
	Abs []uint32
}

// WidthTable returns the lookup of relocation widths in bytes by type
// (0 for a type not listed) from lists of types by width. The lists and
// the table are built on the first lookup, not at start-up: a process
// builds only the tables of the arches its objects are for.
func WidthTable[T ~int](lists func() map[uint8][]T) func(typ uint32) uint64 {
	table := sync.OnceValue(func() []uint8 {
		var t []uint8
		for w, types := range lists() {
			for _, typ := range types {
				for int(typ) >= len(t) {
					t = append(t, 0)
				}
				t[typ] = w
			}
		}
		return t
	})
	return func(typ uint32) uint64 {
		if t := table(); uint64(typ) < uint64(len(t)) {
			return uint64(t[typ])
		}
		return 0
	}
}

// A RegLoc pairs a register with the location of its saved value.
type RegLoc struct {
	Reg Reg
	Loc Loc
}

// IsCalleeSaved reports whether register r is callee-saved.
func (a *Arch) IsCalleeSaved(r Reg) bool { return r < 64 && a.CalleeSaved&(1<<r) != 0 }

// A SpecialKind says what a special section's entries mean.
type SpecialKind uint8

// The special section kinds (objtool's special_entry flags).
const (
	// SpecialGroup entries replace a range of original instructions with a
	// range of replacement ones (x86 .altinstructions).
	SpecialGroup SpecialKind = iota
	// SpecialJumpLabel entries turn a nop into a jump or back (__jump_table).
	SpecialJumpLabel
	// SpecialExTable entries add the fixup code as a successor of a faulting
	// instruction (__ex_table).
	SpecialExTable
	// SpecialRange entries are groups whose ranges are given by start and
	// end addresses relative to the entry itself (ppc64 feature fixups).
	SpecialRange
)

// A SpecialSection is the layout of one table of alternative code paths.
// Offsets are within an entry; a negative offset means the field is absent.
type SpecialSection struct {
	Name      string
	Kind      SpecialKind
	EntrySize int
	Orig, New int // relocated fields naming the original and the new code
	OrigLen   int // byte holding the original length (groups)
	NewLen    int // byte holding the replacement length (groups)
	Feature   int // 16-bit CPU feature number (groups)
	Key       int // relocated jump-label key, whose addend carries flags
	// OrigEnd and NewEnd are the relocated end addresses of a range entry.
	OrigEnd, NewEnd int
}

// Symbols names the symbols an architecture's checker treats specially.
type Symbols struct {
	Fentry          string   // the mcount/fentry call target
	RetpolinePrefix string   // retpoline thunks start with this
	ReturnThunk     string   // the return thunk
	Embedded        []string // symbols embedded inside other instructions
}

// Alternatives says which alternative paths of two special CPU features
// are followed (x86: SMAP and POPCNT).
type Alternatives struct {
	// UaccessFeature's alternative is forced with --uaccess (the original
	// path is skipped), and skipped without it.
	UaccessFeature int
	// SkipOrigFeature's original path is never followed.
	SkipOrigFeature int
}

// Syntax is how objdump prints one machine's code.
type Syntax struct {
	// Text returns the instruction of n bytes at the start of code, at
	// offset pc of its section, as x/arch's GNU printer gives it; ok is
	// false when the printer has no text for it or reads another length.
	// Callers hold the Arch's DecodeLock.
	Text func(code []byte, pc uint64, n int) (text string, ok bool)
	// Fallback is the directive objdump prints for bytes it cannot decode,
	// Data the one for data in code (a switch table, words a mapping
	// symbol marks), and Word how it prints a 4-byte word after either; ""
	// on x86, which prints bytes.
	Fallback, Data, Word string
	// FromNext says that a relative destination the printer prints
	// (".+0x10") counts from the next instruction, as on x86, not from
	// this one.
	FromNext bool
	// Aliases are the names today's objdump gives where the printer uses
	// older or generic ones, for a whole text or for a mnemonic.
	Aliases map[string]string
}

// NumberedRegs returns the names prefix0 .. prefix(n-1), then last.
func NumberedRegs(prefix string, n int, last string) []string {
	names := make([]string, 0, n+1)
	for i := range n {
		names = append(names, fmt.Sprint(prefix, i))
	}
	return append(names, last)
}

// A Note is a message a decoder flag earns (objtool's informational
// warnings while decoding). Format takes the section name and offset.
type Note struct {
	Flag   InsnFlags
	Format string
}

// A Target is a relocated address: a section index and an offset in it
// (the relocation symbol's value plus the addend).
type Target struct {
	Sec int
	Off uint64
}

// A SwitchQuery is what a switch-table finder sees around one dynamic
// jump: the code of the jump's section and the relocations around it.
type SwitchQuery struct {
	Code  []byte // the jump's section
	Sec   int    // its index
	Start uint64 // start of the jump's function: look no further back
	Jump  uint64 // offset of the dynamic jump
	// Reloc returns where the relocation applied at exactly off in section
	// sec points.
	Reloc func(sec int, off uint64) (Target, bool)
	// Data returns the contents of section sec, nil if it has none.
	Data func(sec int) []byte
	// Warn reports whether the trap at offset off of the jump's section
	// is tabled as a warning (a WARN, after which execution goes on)
	// rather than a BUG; nil means no trap is.
	Warn func(off uint64) bool
	// NoReturn reports whether the call at offset off of the jump's
	// section goes to a function known never to return (panic,
	// __stack_chk_fail): no path goes on after it. nil means none does.
	NoReturn func(off uint64) bool
	// Cases returns the dynamic jumps of the section already known to
	// reach off through their tables (the switches of the function found
	// so far); nil when none is. Code that nothing else reaches is then
	// entered from those jumps only, rather than from every one.
	Cases func(off uint64) []uint64
	// Resolved reports whether the table of the dynamic jump at offset
	// jump is known in full: code its table does not list is not entered
	// from it. nil means no table is known.
	Resolved func(jump uint64) bool
	// InTable reports whether offset off of the jump's section lies in
	// the data of a table found before, inline in the code (ppc64): the
	// word there is not an instruction. nil means none does.
	InTable func(off uint64) bool
	// Steps are the instructions the decoder made of the section's code,
	// in order of offset, without the words it could not decode: what a
	// search back from the jump follows (see arch/backflow). nil means
	// they are not given, and the finder decodes Code itself.
	Steps []Step
}

// A Step is what a search that follows code backwards needs of one
// instruction: where it is, how long, its kind and flags, and its direct
// destination (before relocation).
type Step struct {
	Off       uint64
	Target    int64 // with HasTarget, as Insn.Target
	Len       uint8
	Kind      Kind
	HasTarget bool
	Flags     InsnFlags
}

// A SwitchTable is a switch table recovered from the code.
type SwitchTable struct {
	// Targets are the case destinations, as offsets in the jump's section.
	Targets []uint64
	// Data are ranges of the jump's section that hold the table itself
	// (ppc64 places tables inline after the jump): they are not code.
	Data []Range
}

// A Range is the half-open byte range [Start, End).
type Range struct{ Start, End uint64 }

// ErrNoSwitchBound is returned by a switch-table finder that recognised a
// table but could not bound it: the jump is reported, not guessed.
var ErrNoSwitchBound = errors.New("switch table without a bound")

// DWARFRegs are the DWARF numbers and names of the stack and frame
// pointers, and the machine's own call-frame instructions.
type DWARFRegs struct {
	SP, FP         uint16
	SPName, FPName string
	// NegateRA is set where the call-frame instruction negate_ra_state
	// (0x2d, and 0x2c with the PC) is defined: it toggles whether the
	// return address is signed.
	NegateRA bool
}

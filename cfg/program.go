// Package cfg turns a parsed object into the instruction graph the checker
// walks: every instruction of every executable section, with its jump and
// call destinations, the alternative paths of special sections and switch
// tables, the annotations, and the function symbols around them.
//
// The graph is per instruction rather than per basic block because the
// checker replays objtool's depth-first walk, whose order decides which
// warning is printed; blocks can be derived from it.
package cfg

import (
	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/decode"
	"github.com/objcheck/objcheck/internal/prefault"
	"math"
	"unsafe"
)

// A Program is the instruction graph of one object.
type Program struct {
	File *decode.File
	Arch *arch.Arch
	// Sections parallels File.Sections.
	Sections []*Section
	// locs are the places instructions are in (see insnLoc), which
	// Insn.loc indexes; locs[0] is none. lastLoc is the one placeIn last
	// made, 0 for none.
	locs    []insnLoc
	lastLoc int32
	// altFields are the alternative fields of instructions' rare fields
	// (see insnRare.alt).
	altFields []altFields
	// byName indexes Syms by name once they are linked (see SymbolByName).
	byName map[string]*Symbol
	// deadEndMemo is set while calls are resolved, when deadEndFunc
	// keeps its answers in the symbols' flags.
	deadEndMemo bool
	// Insns holds the instructions of every executable section, section
	// after section in section order; IndexOf(&Insns[i]) == i.
	Insns []Insn
	// Extra holds instructions made up for alternatives (the nop that pads
	// a short replacement); their indexes continue after Insns.
	Extra []*Insn
	// extraIndex is the index of each of Extra.
	extraIndex map[*Insn]int32
	// Ops holds the stack operations of all instructions.
	Ops []arch.StackOp
	// Syms parallels File.Symbols.
	Syms []*Symbol
	// Problems are the diagnostics found while building, in objtool's order.
	Problems []Problem
	// Hints is set when the object has unwind hints.
	Hints bool
	// PvOps is the pv_ops table under --noinstr (pvops.go), or nil.
	PvOps *PvOps
	// HintList holds the unwind hints that set a stack state, in order.
	HintList []*Hint
	// Rodata is set when the object has sections that may hold jump tables.
	Rodata bool
	// IgnoreUnreachables is set when a RIP-relative switch table was found
	// (GCC's table-copy quirk leaves dead code behind).
	IgnoreUnreachables bool
	// Sites are the instruction lists of the writing actions.
	Sites Sites
	// Stats are the counts --stats prints from the build.
	Stats BuildStats
	// Patches are the rewrites made while building, in order.
	Patches []Patch
	// Opts are the options the graph was built for.
	Opts Options
	// transfers holds the indexes in Insns, in order, of the instructions
	// decoded as jumps, calls and returns (see Transfers).
	transfers []int32
	// numAlts counts the alternatives read, to number them.
	numAlts int
	// rares holds what few instructions have, from 1 (Insn.aux).
	rares rareStore
	// jumpTables holds the first entry's relocation of the table of each
	// dynamic jump marked tableJump.
	jumpTables map[*Insn]*Rel
	// firstJumpSrc holds, for the instructions of functions with a dynamic
	// jump, the first forward jump to each (objtool's first_jump_src), the
	// way back the table search takes.
	firstJumpSrc map[*Insn]*Insn
	// switches maps switch jumps found by the arch to their targets (nil
	// for a table that could not be bounded).
	switches map[int][]uint64
	// warnings are the traps __bug_table makes WARNs (bugWarnings).
	warnings map[bugSite]bool
	// resumedTraps are the traps the exception table resumes elsewhere
	// (addWarnings).
	resumedTraps map[*Insn]bool
	// early is the section decoded beside the symbols, until decodeInsns
	// takes it (early.go).
	early *earlyDecode
	// irets are the indexes in Insns of the instructions decoded as
	// irets, in order (see resolveIrets): a handful in a kernel.
	irets []int32
}

// Options are the parts of the command line that change the graph.
type Options struct {
	Module      bool // --module: .init.text is ordinary text
	Uaccess     bool // --uaccess
	Specials    bool // read the special sections (stackval, orc, uaccess, noinstr, hacks=jump_label)
	JumpLabel   bool // --hacks=jump_label
	HackNoinstr bool // --hacks=noinstr
	Mcount      bool // --mcount
	Mnop        bool // --mnop
	IBT         bool // --ibt
	Link        bool // --link
	Noinstr     bool // --noinstr: read the pv_ops table
}

// Sites are the instructions objtool lists while building the graph, each
// list in the order objtool fills it, for the writing actions to record.
type Sites struct {
	StaticCalls  []*Insn // calls and tail calls to static-call trampolines
	Retpolines   []*Insn // calls and jumps through retpoline thunks
	ReturnThunks []*Insn // jumps to the return thunk
	Mcount       []*Insn // calls to the ftrace entry (__fentry__, _mcount)
	Calls        []*Insn // other direct calls outside init code (--hacks=skylake)
	Endbrs       []*Insn // ENDBRs at function starts (--ibt seals the unused)
	EndbrsInside int     // ENDBRs inside functions, counted for --stats
}

// A Patch is an instruction that objtool rewrites while building the graph
// (--hacks=jump_label, --hacks=noinstr, --mnop): it becomes a nop of its
// length, or a return when Ret is set, and its relocation, if any, is
// made R_NONE.
type Patch struct {
	At  *Insn
	Ret bool
	Rel *Rel
}

// A Section is an object section with what the checker needs to know of it.
type Section struct {
	*decode.Section
	// First and End bound the section's instructions in Program.Insns.
	First, End int
	Text       bool // executable and not alternative replacement code
	Code       bool // decoded: executable, or the arch's replacement code
	Noinstr    bool // .noinstr.text, .entry.text, .cpuidle.text, .text..__x86.*
	Init       bool // .init.text outside modules
	Rodata     bool // may hold jump tables
	// funcs are the section's sized symbols in (offset, index) order;
	// all are every symbol of the section in the order objtool lists them.
	sized []*Symbol
	all   []*Symbol
	// maxLen is the longest sized symbol, to bound containment searches;
	// sizedEnds[i] is the furthest end of sized[:i+1], to find holes.
	maxLen    uint64
	sizedEnds []uint64
	// blocks[k] is the 64 bytes from offset k<<blockShift: where
	// instructions start in them, and the first one's index, so that Find
	// reads no instruction to find one.
	blocks []insnBlock
	// bare is the location of the section's instructions in no symbol.
	bare int32
}

// blockShift sets the span of Section.blocks: 64 bytes, some twenty x86
// instructions, one bit each of insnBlock.starts; vmlinux.o's 16 MiB of
// text take 3 MiB of index.
const blockShift = 6

// An insnBlock is the instructions that start in 64 bytes of a section.
type insnBlock struct {
	// first is the index, from Section.First, of the first instruction
	// at or after the block's start.
	first int32
	// half holds the block's starts (see starts), low half first: two
	// words of 32 bits rather than one of 64 keep a block in 12 bytes,
	// not 16.
	half [2]uint32
}

// starts has bit b set if an instruction starts at byte b of the block.
func (b *insnBlock) starts() uint64 { return uint64(b.half[1])<<32 | uint64(b.half[0]) }

// addStart records that an instruction starts at byte n of the block.
func (b *insnBlock) addStart(n uint) { b.half[n>>5] |= 1 << (n & 31) }

// A Symbol is an object symbol with the links and marks the checker needs.
type Symbol struct {
	*decode.Symbol
	// Name is the symbol's name; a section symbol takes its section's.
	Name string
	Sec  *Section
	// Offset and Len are st_value and st_size, except that a parent whose
	// .cold child sits at its end loses the child's length.
	Offset, Len uint64
	Pfunc       *Symbol // parent of a .cold child; itself otherwise
	Cfunc       *Symbol // .cold child; itself otherwise
	Alias       *Symbol // the last symbol with the same offset, type and size
	Flags       SymFlags
	// Warned is set once a warning names an instruction of this symbol.
	Warned bool
	// here is the location of the instructions in the symbol; beside the
	// flags, it takes their word's padding (a symbol is 88 bytes, not 96).
	here int32
	// aliasChain links earlier symbols with the same offset, type and size.
	aliasChain *Symbol
}

// SymFlags are marks on a symbol.
type SymFlags uint16

// The symbol marks.
const (
	SymLocalLabel SymFlags = 1 << iota
	SymStaticCallTramp
	SymRetpolineThunk
	SymReturnThunk
	SymEmbeddedInsn
	SymFentry
	SymProfilingFunc
	SymUaccessSafe
	// symDeadEndKnown and symDeadEnd hold deadEndFunc's answer for the
	// symbol while calls are resolved (see Program.deadEndMemo).
	symDeadEndKnown
	symDeadEnd
)

// Has reports whether all of f are set.
func (s *Symbol) Has(f SymFlags) bool { return s.Flags&f == f }

// IsFunc reports whether the symbol is an STT_FUNC.
func (s *Symbol) IsFunc() bool { return s.Type == 2 }

// An Insn is one instruction in the graph. There are millions in a
// linked kernel: the fields are ordered by size, so that none is padded.
type Insn struct {
	// meta packs two things. Its low locBits bits are the index in
	// Program.locs of the instruction's section and symbol (see
	// Program.Sec and Program.Sym): a run of instructions shares one, and
	// millions of instructions need not each carry two pointers, nor one.
	// Its high bits are the number of the instruction's stack operations
	// (see opsShift) and the hasTarget, jumpKnown and hasRare bits. One
	// word for both keeps an instruction in 20 bytes.
	meta uint32
	Off  uint32
	// dest is the decoder's direct destination, valid with hasTarget,
	// unless it does not fit and is in the rare fields (see
	// Program.Target); with jumpKnown, it is the index of the jump's
	// destination instead (see Program.JumpDest), and the decoder's
	// destination is that instruction's offset, or, for the few where it
	// is not (vmlinux.o: 2.8 thousand of 546 thousand), in the rare
	// fields.
	dest int32
	// aux is where the instruction's stack operations start in
	// Program.Ops, or, with hasRare, the index of its rare fields in
	// Program.rares, which then hold that start: few instructions have
	// rare fields (vmlinux.o: 290 thousand of 4.9 million), and one word
	// for both saves four bytes an instruction.
	aux   int32
	Flags InsnFlags
	Len   uint8
	Kind  arch.Kind
}

// insnSize is the size of an Insn, which IndexOf divides by (a constant:
// the division is a multiplication); TestInsnSize keeps it 20 bytes.
const insnSize = unsafe.Sizeof(Insn{})

// The parts of Insn.meta. Below locBits is the location's index, so a
// program has at most maxLocs locations. Above it, at opsShift, is the
// count of stack operations (at most arch.MaxOps and one more, see
// addInsn), then three bits: hasTarget says that the decoder found a
// direct destination, jumpKnown that Insn.dest is the jump destination's
// index, hasRare that Insn.aux indexes the rare fields.
const (
	locBits   = 26
	maxLocs   = 1 << locBits
	locMask   = maxLocs - 1
	opsShift  = locBits
	opsMask   = 7 << opsShift
	hasTarget = 1 << 29
	jumpKnown = 1 << 30
	hasRare   = 1 << 31
)

// locOf is the index in Program.locs of in's location.
func (in *Insn) locOf() int32 { return int32(in.meta & locMask) }

// setLoc puts in at the location with index loc.
func (in *Insn) setLoc(loc int32) { in.meta = in.meta&^locMask | uint32(loc) }

// numOps is the number of in's stack operations.
func (in *Insn) numOps() int32 { return int32(in.meta & opsMask >> opsShift) }

// HasTarget reports whether the decoder found a direct destination (see
// Program.Target).
func (in *Insn) HasTarget() bool { return in.meta&hasTarget != 0 }

// IndexOf returns in's index: its place in Insns, or after them for one
// of Extra. The index is where in lies, not a field of its own: a field
// would cost every one of millions of instructions four bytes more.
// It is -1 for an instruction not in the program, such as a copy of one.
func (p *Program) IndexOf(in *Insn) int32 {
	off := uintptr(unsafe.Pointer(in)) - uintptr(unsafe.Pointer(unsafe.SliceData(p.Insns)))
	if off < uintptr(len(p.Insns))*insnSize {
		return int32(off / insnSize)
	}
	if i, ok := p.extraIndex[in]; ok {
		return i
	}
	return -1
}

// An insnLoc is where instructions are: their section, and the function
// or code symbol they are in (nil for none). Each Section has the one for
// its instructions outside symbols, each Symbol the one for its own; only
// alternative replacements, in a section of their own but in the
// original's symbol, need others.
type insnLoc struct {
	sec *Section
	sym *Symbol
}

// newLoc adds a location and returns its index.
func (p *Program) newLoc(sec *Section, sym *Symbol) int32 {
	if len(p.locs) == 0 {
		p.locs = append(p.locs, insnLoc{}) // none
	}
	if len(p.locs) == maxLocs {
		// Only a hostile object gets here: buildSymbols refuses more
		// symbols than half the locations, and each alternative adds
		// at most two. Its instructions lose their symbol, not their
		// section.
		if sec != nil && sec.bare != 0 {
			return sec.bare
		}
		return 0
	}
	p.locs = append(p.locs, insnLoc{sec, sym})
	return int32(len(p.locs) - 1)
}

// Sec is the section in is in.
func (p *Program) Sec(in *Insn) *Section { return p.locs[in.locOf()].sec }

// Sym is the function or code symbol in is in, nil for none.
func (p *Program) Sym(in *Insn) *Symbol { return p.locs[in.locOf()].sym }

// InsnFlags are marks on an instruction.
type InsnFlags uint16

// The instruction marks.
const (
	DeadEnd InsnFlags = 1 << iota
	Ignore
	IgnoreAlts
	HasHint
	Save
	Restore
	RetpolineSafe
	Noendbr
	Unret
	noReloc
	// SwitchJump marks a dynamic jump through a table the arch recovered.
	SwitchJump
	// tableJump marks a dynamic jump through a table findJumpTable found
	// (its relocation is in Program.jumpTables: few instructions have one).
	tableJump
	// NotCode marks a placeholder for a word that is not an instruction.
	NotCode
	// inFunc marks an instruction whose Sym is an STT_FUNC: Func need not
	// read the symbol, which is rarely in the cache.
	inFunc
	// listedEndbr marks an ENDBR already in Sites.Endbrs.
	listedEndbr
)

// Has reports whether all of f are set.
func (in *Insn) Has(f InsnFlags) bool { return in.Flags&f == f }

// Func returns the STT_FUNC symbol in belongs to, or nil.
func (p *Program) Func(in *Insn) *Symbol {
	if in.Flags&inFunc != 0 {
		return p.Sym(in)
	}
	return nil
}

// An Alt is an alternative successor of an instruction.
type Alt struct {
	Insn     *Insn
	SkipOrig bool
}

// An AltGroup is the original or one replacement range of an alternative.
type AltGroup struct {
	Orig        *AltGroup // the original group, nil for the original itself
	First, Last *Insn
	Nop         *Insn // padding after a shorter replacement
	// Shared is the same for all groups of one alternative: the checker
	// keeps one stack state per byte of the original range under its ID,
	// to detect layout conflicts.
	Shared *AltShared
}

// AltShared identifies one alternative (the original group and all its
// replacements).
type AltShared struct {
	ID  int // 0, 1, ... in the order alternatives are read
	Len int // bytes in the original range
}

// The unwind hint types (include/linux/objtool_types.h).
const (
	HintUndefined   = 0
	HintEndOfStack  = 1
	HintCall        = 2
	HintRegs        = 3
	HintRegsPartial = 4
	HintFunc        = 5
	HintSave        = 6
	HintRestore     = 7
)

// A Problem is a diagnostic found while building the graph. At is the
// instruction it names (nil for a plain message); Sec and Off locate a
// message about a place without an instruction.
type Problem struct {
	At    *Insn
	Sec   *Section
	Off   uint64
	Plain bool // printed without a location
	Msg   string
	// Counted problems count as warnings (they suppress the unreachable
	// pass); Fatal ones stop the checking of the object.
	Counted bool
	Fatal   bool
}

// StackOps returns the instruction's stack operations.
func (p *Program) StackOps(in *Insn) []arch.StackOp {
	n := in.numOps()
	if n == 0 {
		return nil
	}
	start := in.aux
	if in.meta&hasRare != 0 {
		start = p.rares.at(in.aux).opsStart
	}
	return p.Ops[start : start+n]
}

// setOps records that in's stack operations are Ops[start:start+n].
func (p *Program) setOps(in *Insn, start, n int32) {
	if in.meta&hasRare != 0 {
		p.rares.at(in.aux).opsStart = start
	} else {
		in.aux = start
	}
	in.meta = in.meta&^opsMask | uint32(n)<<opsShift
}

// ClearOps removes an instruction's stack operations (a call whose
// destination is known: the callee's return undoes its push).
func (in *Insn) ClearOps() { in.meta &^= opsMask }

// InsnAt returns the instruction with index i, extras included.
func (p *Program) InsnAt(i int32) *Insn {
	if n := int32(len(p.Insns)); i >= n {
		return p.Extra[i-n]
	}
	return &p.Insns[i]
}

// hasJumpDest reports whether in's jump destination is known.
func (in *Insn) hasJumpDest() bool { return in.meta&jumpKnown != 0 }

// JumpDest returns the instruction a direct jump goes to, nil if none is
// known (a sibling call's destination is its CallDest).
func (p *Program) JumpDest(in *Insn) *Insn {
	if !in.hasJumpDest() {
		return nil
	}
	return p.InsnAt(in.dest)
}

// setJumpDest records in's jump destination (nil for none), which takes
// the place of the decoder's destination, unless Target could not then
// derive it from the jump destination.
func (p *Program) setJumpDest(in, dest *Insn) {
	t := p.Target(in)
	in.meta &^= jumpKnown
	p.setTarget(in, t)
	i := int32(-1)
	if dest != nil {
		i = p.IndexOf(dest)
	}
	if i < 0 {
		return // none, or not one of the program's
	}
	if int64(dest.Off) != t {
		r := p.makeRare(in)
		r.target, r.keptTarget = t, true
	}
	in.dest = i
	in.meta |= jumpKnown
}

// NumInsns is the number of instruction indexes in use, extras included.
func (p *Program) NumInsns() int { return len(p.Insns) + len(p.Extra) }

// Transfers yields, in order, the instructions of Insns that were
// decoded as jumps, calls and returns: a superset of those that are so
// now, as the graph turns some into nops or others, and only ever one
// transfer into another. A pass that looks at transfers alone walks these
// (vmlinux.o: 0.91 million) instead of all (4.93 million).
func (p *Program) Transfers(yield func(*Insn) bool) {
	for _, i := range p.transfers {
		if !yield(&p.Insns[i]) {
			return
		}
	}
}

// NumAltGroups is how many alternatives were read: their AltShared.IDs
// are 0 up to it.
func (p *Program) NumAltGroups() int { return p.numAlts }

// Next returns the instruction after in within its section, or nil.
func (p *Program) Next(in *Insn) *Insn {
	if i := int(p.IndexOf(in)); i < len(p.Insns) && i+1 < p.Sec(in).End {
		return &p.Insns[i+1]
	}
	return nil
}

// Prev returns the instruction before in within its section, or nil.
func (p *Program) Prev(in *Insn) *Insn {
	if i := int(p.IndexOf(in)); i < len(p.Insns) && i > p.Sec(in).First {
		return &p.Insns[i-1]
	}
	return nil
}

// SecInsns returns the instructions of a section.
func (p *Program) SecInsns(s *Section) []Insn { return p.Insns[s.First:s.End] }

// An insnRare holds what few instructions have.
type insnRare struct {
	// target is the decoder's direct destination, when keptTarget: one
	// too far for Insn.dest, or one that is not its known jump
	// destination's offset.
	target   int64
	callDest *Symbol
	opsStart int32 // where the stack operations start in Program.Ops
	// alt is the index of the instruction's alternative fields in
	// Program.altFields plus one, 0 for none: few instructions with rare
	// fields have those (vmlinux.o: 15 thousand of 289 thousand, most
	// of the others calls), and a record is 32 bytes without them, not 56.
	alt        int32
	keptTarget bool
	aflags     arch.InsnFlags // the decoder's flags (see Program.AFlags)
	instr      int8           // see Program.Instr
}

// AFlags returns the decoder's flags of in. Few instructions have any
// (a notrack prefix, a PC read, an iret), so they are rare fields.
func (p *Program) AFlags(in *Insn) arch.InsnFlags {
	if r := p.rareOf(in); r != nil {
		return r.aflags
	}
	return 0
}

// Instr returns in's instrumentation begin/end balance (noinstr): the
// instr_begin annotations on it less its instr_end ones.
func (p *Program) Instr(in *Insn) int8 {
	if r := p.rareOf(in); r != nil {
		return r.instr
	}
	return 0
}

// altFields are an instruction's place in alternatives.
type altFields struct {
	group *AltGroup
	alts  []Alt
}

// altsOf returns in's alternative fields, nil if it has none.
func (p *Program) altsOf(in *Insn) *altFields {
	if r := p.rareOf(in); r != nil && r.alt != 0 {
		return &p.altFields[r.alt-1]
	}
	return nil
}

// makeAlts returns in's alternative fields, making room for them if it
// had none. The pointer is good until the next call.
func (p *Program) makeAlts(in *Insn) *altFields {
	r := p.makeRare(in)
	if r.alt == 0 {
		p.altFields = append(p.altFields, altFields{})
		r.alt = int32(len(p.altFields))
	}
	return &p.altFields[r.alt-1]
}

// A rareStore holds instructions' rare fields in chunks of rareChunk
// records, so that growing it never copies: a run that does not collect
// would keep every outgrown copy (vmlinux.o has 290 thousand records,
// and a slice grown by append left 66 MB behind it). A large object's
// chunks are cut from one array reserved ahead (see reserve).
type rareStore struct {
	chunks [][]insnRare
	spare  []insnRare // the reserved records no chunk holds yet
}

// rareChunk is how many records a rareStore allocates at once: small, as
// a call over many objects reuses memory the runtime must clear, and most
// objects need a few hundred (4096, 196 KB a chunk, cost 591 objects in
// one call 11% of their time).
const rareChunk = 512

// reserve sets aside room for n records, in one array whose pages are
// faulted in on another thread (prefault): a large object's records
// are then no longer fresh pages, each a fault, on the goroutine that
// resolves calls (vmlinux.o: 2.9 thousand faults there).
func (rs *rareStore) reserve(n int) {
	if n < 4*rareChunk {
		return
	}
	rs.spare = make([]insnRare, n/rareChunk*rareChunk)
	prefault.Start(rs.spare, len(rs.spare))
}

// at returns record i.
func (rs *rareStore) at(i int32) *insnRare { return &rs.chunks[i/rareChunk][i%rareChunk] }

// add appends an empty record and returns its index (never 0: record 0
// stands for none).
func (rs *rareStore) add() int32 {
	if len(rs.chunks) == 0 {
		rs.chunks = append(rs.chunks, rs.newChunk()[:1])
	}
	last := &rs.chunks[len(rs.chunks)-1]
	if len(*last) == rareChunk {
		rs.chunks = append(rs.chunks, rs.newChunk())
		last = &rs.chunks[len(rs.chunks)-1]
	}
	*last = append(*last, insnRare{})
	return int32((len(rs.chunks)-1)*rareChunk + len(*last) - 1)
}

// newChunk returns an empty chunk, from the reserved records while they
// last.
func (rs *rareStore) newChunk() []insnRare {
	if len(rs.spare) == 0 {
		return make([]insnRare, 0, rareChunk)
	}
	c := rs.spare[:0:rareChunk]
	rs.spare = rs.spare[rareChunk:]
	return c
}

// rareOf returns in's rare fields, nil if it has none.
func (p *Program) rareOf(in *Insn) *insnRare {
	if in.meta&hasRare == 0 {
		return nil
	}
	return p.rares.at(in.aux)
}

// makeRare returns in's rare fields, making room for them if it had none;
// the start of its stack operations moves there.
func (p *Program) makeRare(in *Insn) *insnRare {
	if in.meta&hasRare == 0 {
		i := p.rares.add()
		p.rares.at(i).opsStart = in.aux
		in.aux = i
		in.meta |= hasRare
	}
	return p.rares.at(in.aux)
}

// Target returns the decoder's direct destination, a section offset,
// valid when in.HasTarget() is set.
func (p *Program) Target(in *Insn) int64 {
	switch r := p.rareOf(in); {
	case r != nil && r.keptTarget:
		return r.target
	case in.hasJumpDest():
		return int64(p.InsnAt(in.dest).Off)
	}
	return int64(in.dest)
}

// setTarget records in's direct destination, before its jump destination
// is known: in Insn.dest if it fits, else in the rare fields.
func (p *Program) setTarget(in *Insn, t int64) {
	if t >= math.MinInt32 && t <= math.MaxInt32 {
		in.dest = int32(t)
		return
	}
	in.dest = 0
	r := p.makeRare(in)
	r.target, r.keptTarget = t, true
}

// Group returns the alternative group in belongs to, or nil.
func (p *Program) Group(in *Insn) *AltGroup {
	if a := p.altsOf(in); a != nil {
		return a.group
	}
	return nil
}

// setGroup puts in in the alternative group g.
func (p *Program) setGroup(in *Insn, g *AltGroup) { p.makeAlts(in).group = g }

// Alts returns in's alternative successors, in the order they are
// followed: those added last first.
func (p *Program) Alts(in *Insn) []Alt {
	if a := p.altsOf(in); a != nil {
		return a.alts
	}
	return nil
}

// prependAlt adds a as in's first alternative.
func (p *Program) prependAlt(in *Insn, a Alt) {
	l := &p.makeAlts(in).alts
	*l = append([]Alt{a}, *l...)
}

package check

// Options are objtool's actions and options, plus objcheck's own. The
// command line fills them; the checker reads them and never changes them.
type Options struct {
	// Actions.
	HacksJumpLabel bool // --hacks=jump_label
	HacksNoinstr   bool // --hacks=noinstr
	HacksSkylake   bool // --hacks=skylake
	IBT            bool // --ibt
	SLS            bool // --sls
	Mcount         bool // --mcount
	Noinstr        bool // --noinstr
	ORC            bool // --orc
	Retpoline      bool // --retpoline
	Stackval       bool // --stackval
	StaticCall     bool // --static-call
	Uaccess        bool // --uaccess
	CFI            bool // --cfi
	Dump           bool // --dump[=orc]
	Prefix         int  // --prefix=N
	Rethunk        bool // --rethunk
	Unret          bool // --unret

	// Options.
	Verbose       bool // --verbose or OBJTOOL_VERBOSE=1
	Backtrace     bool // --backtrace
	Backup        bool // --backup
	DryRun        bool // --dry-run
	Link          bool // --link
	Mnop          bool // --mnop
	Module        bool // --module
	NoUnreachable bool // --no-unreachable
	SecAddress    bool // --sec-address
	Stats         bool // --stats

	// DWARF asks for objcheck's cross-check of the computed stack state
	// against the object's own .eh_frame or .debug_frame CFI.
	DWARF bool

	// Tracer, when set, watches the walks it chooses (--trace, --graph).
	Tracer Tracer

	// AfterBuild, when set, runs once the graph is built, before the
	// walks: a caller that leaves the collector off collects there (see
	// cmd/objcheck), when what building let go is garbage.
	AfterBuild func()

	// ParallelMin, when not 0, is the fewest instructions for which the
	// functions are walked on two goroutines, instead of parallelMin's
	// quarter of a million: the tests walk small objects so with 1.
	ParallelMin int
	// ORCSplitMin, when not 0, is the fewest instructions of a section
	// whose ORC entries are found in two halves at once, instead of
	// orcSplitMin's million: the tests split small objects so with 1.
	ORCSplitMin int
	// BesideMin, when not 0, is the fewest instructions for which the
	// work that may run beside the walks runs on goroutines of its own,
	// instead of besideMin's: the tests run it so on small objects with 1.
	BesideMin int
}

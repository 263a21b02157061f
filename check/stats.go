package check

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"math/bits"

	"github.com/objcheck/objcheck/decode"
)

// stats are the counters of objtool 6.12's --stats that the walk keeps.
type stats struct {
	visited int // nr_insns_visited: instructions the walks reached
	cfi     int // nr_cfi: stack states objtool allocates
	reused  int // nr_cfi_reused: states taken over from the previous instruction
	cache   int // nr_cfi_cache: lookups that found the state in the hash
	// hashed holds the states in objtool's cfi_hash; nil without --stats.
	// It is kept apart from the checker's pool, which also holds states
	// objtool never hashes (those of undefined and function hints).
	hashed map[cfiState]bool
	// planStopped is set when a writing step failed as objtool's -1
	// (an .orc_unwind already there): objtool then skips to its end.
	planStopped bool
	// walkedAgain is set when the walks on two goroutines were undone
	// and walked again in order (see walkInParallel).
	walkedAgain bool
}

// hashBits is objtool's size of a hash table for n entries, in bits:
// max(10, ilog2(n)).
func hashBits(n int) int {
	if n <= 0 {
		return 10
	}
	return max(10, bits.Len(uint(n))-1)
}

// startStats prints what objtool prints before its passes (cfi_bits,
// nr_insns, the jump-label table) and seeds the hash as objtool does with
// its initial and function-entry states.
func (c *checker) startStats(f *decode.File) {
	if !c.opts.Stats {
		return
	}
	init := newCFI()
	c.stats.hashed = map[cfiState]bool{init: true, *c.frame.initial: true}
	w := &c.stdout
	fmt.Fprintf(w, "cfi_bits: %d\n", max(10, hashBits(len(f.Symbols))-3))
	b := &c.prog.Stats
	if !b.Decoded {
		return
	}
	fmt.Fprintf(w, "nr_insns: %d\n", b.Insns)
	if !b.Specials || !graphOptions(c.opts).Specials {
		return
	}
	fmt.Fprint(w, "jl\\\tNOP\tJMP\n")
	fmt.Fprintf(w, "short:\t%d\t%d\n", b.JumpLabelNops[0], b.JumpLabelJumps[0])
	fmt.Fprintf(w, "long:\t%d\t%d\n", b.JumpLabelNops[1], b.JumpLabelJumps[1])
}

// endStats prints objtool's closing counters, which it prints only when
// it got through every pass with instructions to check.
func (c *checker) endStats() {
	if !c.opts.Stats || !c.completed() {
		return
	}
	s := &c.stats
	fmt.Fprintf(&c.stdout, "nr_insns_visited: %d\nnr_cfi: %d\nnr_cfi_reused: %d\nnr_cfi_cache: %d\n",
		s.visited, s.cfi, s.reused, s.cache)
}

// completed reports whether objtool gets through every pass (its check()
// reaches the end instead of stopping early), where it prints its closing
// statistics and, with --verbose, the warned functions' disassembly.
func (c *checker) completed() bool {
	return !c.prog.Fatal() && !c.stopped && !c.stats.planStopped && c.prog.Stats.Insns > 0
}

// warnedSymbols lists, for --verbose, the symbols that have a warning in
// objtool's order (for_each_sym: by section, then by offset).
func (c *checker) warnedSymbols() []string {
	if !c.opts.Verbose || !c.completed() {
		return nil
	}
	var names []string
	for _, sec := range c.prog.Sections {
		for _, s := range sec.Symbols() {
			if s.Warned {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

// lookupCFI counts a lookup of s in objtool's cfi_hash
// (cfi_hash_find_or_add): a hit, or a new state allocated.
func (c *checker) lookupCFI(s *cfiState) {
	if c.stats.hashed == nil {
		return
	}
	if c.stats.hashed[*s] {
		c.stats.cache++
		return
	}
	c.stats.hashed[*s] = true
	c.stats.cfi++
}

// internCFI is pool.intern where objtool calls cfi_hash_find_or_add.
func (c *checker) internCFI(s *cfiState) cfiID {
	c.lookupCFI(s)
	return c.pools.intern(c.own, s)
}

// callOnlyStats is what --stats prints after the ELF tables on a machine
// where objtool decodes only calls (powerpc --mcount): the cfi hash size,
// the instructions decoded, and closing counters with nothing walked.
func callOnlyStats(f *decode.File, opts *Options) []byte {
	if !opts.Stats {
		return nil
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "cfi_bits: %d\n", max(10, hashBits(len(f.Symbols))-3))
	n := 0
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type == elf.SHT_NOBITS {
			continue
		}
		for off := uint64(0); off < sec.Size; n++ {
			l, _ := f.Arch.Write.CallOnly(sec.Data[off:])
			off += uint64(max(l, 1))
		}
	}
	fmt.Fprintf(&b, "nr_insns: %d\n", n)
	if n > 0 {
		b.WriteString("nr_insns_visited: 0\nnr_cfi: 0\nnr_cfi_reused: 0\nnr_cfi_cache: 0\n")
	}
	return b.Bytes()
}

// ELFStats writes what objtool 6.12's elf_open_read prints with --stats:
// the sections, symbols and relocations read and the sizes of their hash
// tables.
func ELFStats(w io.Writer, f *decode.File) {
	nrel, maxRel := 0, 0
	for _, s := range f.Sections {
		if s == nil || s.Entsize == 0 || (s.Type != elf.SHT_RELA && s.Type != elf.SHT_REL) {
			continue
		}
		n := int(s.Size / s.Entsize)
		nrel += n
		maxRel = max(maxRel, n)
	}
	fmt.Fprintf(w, "nr_sections: %d\nsection_bits: %d\n", len(f.Sections), hashBits(len(f.Sections)))
	fmt.Fprintf(w, "nr_symbols: %d\nsymbol_bits: %d\n", len(f.Symbols), hashBits(len(f.Symbols)))
	fmt.Fprintf(w, "max_reloc: %d\nnum_relocs: %d\nreloc_bits: %d\n", maxRel, nrel, hashBits(nrel))
}

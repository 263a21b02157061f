package check

import "sync"

// A cfiTable holds the name of the stack state recorded at each
// instruction (0 for none), by instruction index. A name takes 16 bits:
// the pool's number and the state's number in it, while that is below
// narrowLimit; the few beyond, in an object with more states in one pool
// than that, are in wide, at their instruction, and the 16 bits are
// wideMark. wide is made the first time one is needed. vmlinux.o has 31
// thousand states over both pools and 4.9 million instructions, so 16
// bits rather than 32 save 10 MB.
//
// The walkers beside each other share one table and write the
// instructions they have claimed, as they did a slice of names.
type cfiTable struct {
	narrow   []uint16
	wide     []cfiID
	makeWide sync.Once
}

// narrowLimit is the first number in a pool that goes to the wide table;
// wideMark, pool 1's narrowLimit, is the narrow value that sends a reader
// there.
const (
	narrowLimit = 1<<15 - 1
	wideMark    = 1<<15 | narrowLimit
)

// newCFITable makes a table for n instructions.
func newCFITable(n int) *cfiTable { return &cfiTable{narrow: make([]uint16, n)} }

// len is the number of instructions the table has room for.
func (t *cfiTable) len() int { return len(t.narrow) }

// at returns the name recorded at instruction i.
func (t *cfiTable) at(i int32) cfiID {
	v := t.narrow[i]
	if v == wideMark {
		return t.wide[i]
	}
	return cfiID(v>>15)<<poolShift | cfiID(v&narrowLimit)
}

// set records id at instruction i.
func (t *cfiTable) set(i int32, id cfiID) {
	pool, n := id>>poolShift, id&(1<<poolShift-1)
	if n < narrowLimit {
		t.narrow[i] = uint16(pool)<<15 | uint16(n)
		return
	}
	t.makeWide.Do(func() { t.wide = make([]cfiID, len(t.narrow)) })
	t.wide[i] = id
	t.narrow[i] = wideMark
}

// clear forgets every name.
func (t *cfiTable) clear() {
	clear(t.narrow)
	clear(t.wide)
}

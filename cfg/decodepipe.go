package cfg

import "github.com/objcheck/objcheck/arch"

// A decodedInsn is one instruction as the decoder read it at off, or (bad)
// a word it could not decode.
type decodedInsn struct {
	off  uint64
	bad  bool
	insn arch.Insn
}

// The hand-over between a section's decoding goroutine and the one that
// builds its instructions: batches of decodeBatch instructions, three in
// flight (vmlinux.o, median of five runs: 128 or 256 a batch 2.3 s, 1024
// 2.05 s, 4096 2.0 s with 4 MB more, 16384 1.94 s with 16 MB more).
// Sections under pipelineMin bytes are decoded inline, where the
// hand-over would cost more than it saves (a kernel object's .text is
// tens of kilobytes, vmlinux.o's twenty megabytes).
const (
	decodeBatch   = 4096
	decodeBuffers = 3
	pipelineMin   = 1 << 18
)

// A sectionReader decodes a section's bytes linearly, as objtool does,
// stepping over the data ranges of a fixed-width machine.
type sectionReader struct {
	a      *arch.Arch
	data   []byte
	fixed  bool
	ranges dataMap
	off    uint64
	done   bool // after the first word x86 cannot decode: nothing follows
}

// finished reports whether the reader has nothing more to decode.
func (r *sectionReader) finished() bool { return r.done || r.off >= uint64(len(r.data)) }

// fill decodes up to len(buf) instructions into buf and returns how many.
func (r *sectionReader) fill(buf []decodedInsn) int {
	n := 0
	for n < len(buf) && !r.finished() {
		if r.fixed {
			if end, ok := r.ranges.skip(r.off); ok {
				r.off = end
				continue
			}
		}
		d := &buf[n]
		d.off = r.off
		d.bad = r.a.Decode(r.data[r.off:], r.off, &d.insn) != nil
		r.off += uint64(d.insn.Len)
		r.done = d.bad && !r.fixed
		n++
	}
	return n
}

// decodeEach calls add on each instruction of r in order, until add
// reports a problem. With pipelined set (for large sections), r decodes
// on a goroutine of its own while add runs on this one: the order, and so
// the result, is the same. The decoder is used by one goroutine at a time
// (the arch's DecodeLock, held by the caller, covers it), and it is done
// with the section when decodeEach returns.
func decodeEach(r *sectionReader, pipelined bool, add func(d *decodedInsn) *Problem) *Problem {
	if !pipelined {
		var buf [16]decodedInsn
		for n := r.fill(buf[:]); n > 0; n = r.fill(buf[:]) {
			for i := range buf[:n] {
				if prob := add(&buf[i]); prob != nil {
					return prob
				}
			}
		}
		return nil
	}
	empty := make(chan []decodedInsn, decodeBuffers)
	full := make(chan []decodedInsn, decodeBuffers+1) // room for every batch and the end
	for range decodeBuffers {
		empty <- make([]decodedInsn, decodeBatch)
	}
	go func() {
		for !r.finished() {
			buf := <-empty
			full <- buf[:r.fill(buf)]
		}
		full <- nil
	}()
	for batch := <-full; batch != nil; batch = <-full {
		for i := range batch {
			if prob := add(&batch[i]); prob != nil {
				return prob // the decoder stopped at this word: nothing is left to decode
			}
		}
		empty <- batch[:cap(batch)]
	}
	return nil
}

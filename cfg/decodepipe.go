package cfg

import (
	"sync"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/decode"
)

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
	// stop, when not 0, ends the reading at the first instruction at or
	// past it (one worker's chunk of a section decoded in parallel).
	stop uint64
}

// finished reports whether the reader has nothing more to decode.
func (r *sectionReader) finished() bool {
	return r.done || r.off >= uint64(len(r.data)) || r.stop != 0 && r.off >= r.stop
}

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
// the result, is the same. With starts as well (offsets in the section,
// ascending), the section is decoded in chunks beginning there, on
// decodeWorkers goroutines at once (see decodeParallel); only a decoder
// safe for concurrent use may be given starts. Otherwise the decoder is
// used by one goroutine at a time (the arch's DecodeLock, held by the
// caller, covers it). Either way it is done with the section when
// decodeEach returns.
func decodeEach(r *sectionReader, pipelined bool, starts []uint64, add func(d *decodedInsn) *Problem) *Problem {
	if pipelined && len(starts) > 0 {
		return decodeParallel(r, starts, add)
	}
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

// The parallel decoding of a large section (vmlinux.o's 16 MiB of .text):
// chunks of about decodeChunk bytes, beginning at function starts, taken
// in turn by decodeWorkers goroutines, at most chunksInFlight of them
// decoded ahead of the goroutine that builds the instructions. Two
// decoders keep up with one builder: each x86 instruction costs about
// twice as long to decode as to add (vmlinux.o, 5 runs: the decoding
// step 0.51-0.62 s with one decoder, 0.36-0.39 s with two, for 5 MB).
const (
	decodeChunk    = 16 << 10
	decodeWorkers  = 2
	chunksInFlight = 4
)

// chunkStarts returns where the chunks of s begin after its start: at the
// first sized symbol at least decodeChunk past the previous beginning, so
// that a worker most likely begins on the boundary of an instruction of
// the linear decoding. None, without sized symbols. The symbols are the
// file's, not the graph's: a section may be decoded before the graph's
// symbols are built (see decodeBesideSymbols).
func chunkStarts(s *decode.Section) []uint64 {
	var starts []uint64
	next := uint64(decodeChunk)
	for _, sym := range s.Syms {
		if sym.Size != 0 && sym.Value >= next && sym.Value < uint64(len(s.Data)) {
			starts = append(starts, sym.Value)
			next = sym.Value + decodeChunk
		}
	}
	return starts
}

// A chunk is a stretch of a section one worker decodes: from start to the
// first instruction at or past end.
type chunk struct {
	start, end uint64
	out        chan []decodedInsn // its instructions, once decoded
}

// decodeParallel is decodeEach for a section split at starts. A worker
// decodes its chunk from the chunk's start, which may fall inside an
// instruction of the linear decoding (the decoding from the section's
// start, objtool's); the builder joins the chunks on that decoding's
// offsets: it drops what a worker found before the offset the linear
// decoding has reached, and decodes inline, itself, wherever the
// worker's instructions do not meet it. So the instructions and their
// order are those of decoding linearly, wherever the chunks begin.
func decodeParallel(r *sectionReader, starts []uint64, add func(d *decodedInsn) *Problem) *Problem {
	w := newChunkWork()
	defer w.stop()
	w.wg.Add(1 + decodeWorkers)
	go w.feed(append(starts, uint64(len(r.data))))
	for range decodeWorkers {
		go w.work(r)
	}
	j := joiner{r: *r, add: add}
	for c := range w.order {
		batch := <-c.out
		if prob, end := j.join(batch, c.end); prob != nil || end {
			return prob
		}
		w.spare <- batch
	}
	return nil
}

// chunkWork is the hand-over between the goroutines of a parallel
// decoding: chunks in the order of the section, for the builder (order)
// and for the workers (jobs), and the buffers they decode into.
type chunkWork struct {
	order, jobs chan *chunk
	spare       chan []decodedInsn
	quit        chan struct{}
	wg          sync.WaitGroup
}

// newChunkWork makes the channels, with a fixed set of buffers: enough
// that the chunk the builder waits for always finds one, as at most
// chunksInFlight others are decoded ahead of it.
func newChunkWork() *chunkWork {
	w := &chunkWork{order: make(chan *chunk, chunksInFlight), jobs: make(chan *chunk),
		spare: make(chan []decodedInsn, chunksInFlight+decodeWorkers), quit: make(chan struct{})}
	for range cap(w.spare) {
		w.spare <- make([]decodedInsn, 0, decodeChunk/2)
	}
	return w
}

// stop ends the workers and waits for them: the section is then no
// longer read.
func (w *chunkWork) stop() {
	close(w.quit)
	w.wg.Wait()
}

// feed hands out the chunks ending at ends, first to the builder, which
// so bounds how far ahead the workers go, then to the workers.
func (w *chunkWork) feed(ends []uint64) {
	defer w.wg.Done()
	defer close(w.jobs)
	defer close(w.order)
	start := uint64(0)
	for _, end := range ends {
		c := &chunk{start: start, end: end, out: make(chan []decodedInsn, 1)}
		start = end
		for _, ch := range []chan *chunk{w.order, w.jobs} {
			select {
			case ch <- c:
			case <-w.quit:
				return
			}
		}
	}
}

// work decodes chunks of r's section until there are none or the
// decoding stops.
func (w *chunkWork) work(r *sectionReader) {
	defer w.wg.Done()
	for c := range w.jobs {
		cr := *r
		cr.off, cr.stop = c.start, c.end
		select {
		case buf := <-w.spare:
			c.out <- cr.fillAll(buf[:0])
		case <-w.quit:
			return
		}
	}
}

// fillAll decodes what is left of r, appending to buf.
func (r *sectionReader) fillAll(buf []decodedInsn) []decodedInsn {
	for !r.finished() {
		if len(buf) == cap(buf) {
			buf = append(buf, decodedInsn{})[:len(buf)]
		}
		n := r.fill(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
	}
	return buf
}

// A joiner is the linear decoding of a section decoded in chunks: r's
// offset is the next instruction's, and r decodes inline what the
// workers' chunks lack.
type joiner struct {
	r   sectionReader
	add func(d *decodedInsn) *Problem
	one [1]decodedInsn
}

// join takes one chunk's instructions, which end at the first at or past
// end; it reports the end of the decoding (after a word x86 cannot
// decode) or add's problem.
func (j *joiner) join(batch []decodedInsn, end uint64) (*Problem, bool) {
	for i := range batch {
		d := &batch[i]
		for j.r.off < d.off {
			if prob, stop := j.inline(); prob != nil || stop {
				return prob, true
			}
		}
		if j.r.off != d.off {
			continue // the worker began inside an instruction
		}
		if prob := j.add(d); prob != nil {
			return prob, true
		}
		j.r.off += uint64(d.insn.Len)
		if d.bad && !j.r.fixed {
			return nil, true
		}
	}
	for j.r.off < end { // the worker stopped at a word it began inside
		if prob, stop := j.inline(); prob != nil || stop {
			return prob, true
		}
	}
	return nil, false
}

// inline decodes the next instruction of the linear decoding here.
func (j *joiner) inline() (*Problem, bool) {
	if j.r.fill(j.one[:]) == 0 {
		return nil, true
	}
	if prob := j.add(&j.one[0]); prob != nil {
		return prob, true
	}
	return nil, j.r.done
}

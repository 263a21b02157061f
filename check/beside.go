package check

// besideMin is the fewest instructions for which the work that may run
// beside the walks (the IBT scan, the prefix runs, the ORC tables) runs on
// goroutines of its own. Below it the work takes less than starting a
// goroutine does, with the thread that wakes to run it: a kernel object
// of median size has a few thousand instructions, and its one-object run
// spent more on those hand-overs than on the work (see beside).
const besideMin = 1 << 15

// beside runs f, work that may run beside the walks, on a goroutine of
// its own for a large object and before returning for a small one, and
// returns a channel closed once f is done. Either way what f computes is
// the same: such work reads only what the walks do not write.
func (c *checker) beside(f func()) chan struct{} {
	done := make(chan struct{})
	if c.prog.NumInsns() < orDefault(c.opts.BesideMin, besideMin) {
		f()
		close(done)
		return done
	}
	go func() {
		defer close(done)
		f()
	}()
	return done
}

// orDefault is a size threshold the tests may set (an Options field, v)
// or, when they leave it 0, the one runs use (def).
func orDefault(v, def int) int {
	if v != 0 {
		return v
	}
	return def
}

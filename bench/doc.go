// Package bench measures objcheck against objtool: bench.sh times both
// over the shared kernel-object corpus, one process per object and all
// objects in one call, and prints markdown tables; BenchmarkCorpusX86
// times decode.Open and check.Run in-process over the x86-64 corpus.
//
//	bench/bench.sh
//	go test -run '^$' -bench CorpusX86 -benchmem ./bench
package bench

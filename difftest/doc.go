// Package difftest holds objcheck's corpus and differential tests, and the
// pieces they share: reading the kernel-object corpus (../shared/corpus),
// running a checker on objects the way kbuild does, and making mutants of
// x86-64 objects.
//
// The tests build cmd/objcheck and run it as a separate process, exactly as
// kbuild would run objtool: from the unpacked corpus folder, with the
// object's path relative to it, so that warning lines carry the same prefix
// as the recorded ones.
//
//	go test ./difftest                       # everything; skips what is absent
//	go test -v -run TestCorpusX86 ./difftest # x86 corpus match rates
//	go test -v -run TestDifferentialX86 ./difftest
//
// Environment:
//
//	OBJCHECK_SHARED        the shared folder (default: ../shared beside the repository)
//	OBJCHECK_BIN           run this binary instead of building cmd/objcheck; set it to
//	                       objtool.real-x86 to check the harness itself (all must match)
//	OBJCHECK_BATCH         objects per objcheck call (default 64; 1 when OBJCHECK_BIN
//	                       names an objtool, which takes one object per call)
//	OBJTOOL                the real objtool (default: the linux-kbuild-6.12 package's)
//	OBJCHECK_MUTANTS       how many mutants TestDifferentialX86 makes (default 600)
//	OBJCHECK_MUTANT_SEED   the generator's seed (default 1)
//	OBJCHECK_KEEP_MUTANTS  a folder to write every mutant into, with its arguments and
//	                       both tools' output, laid out like a corpus folder
package difftest

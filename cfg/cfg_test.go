package cfg

import (
	"testing"

	"github.com/objcheck/objcheck/arch"
)

// TestMappingSymbols checks which names are ELF mapping symbols.
func TestMappingSymbols(t *testing.T) {
	for _, tt := range []struct {
		name    string
		mapping bool
		data    bool
	}{
		{"$d", true, true}, {"$d.42", true, true}, {"$x", true, false}, {"$x.7", true, false},
		{"$a", true, false}, {"$dx", false, false}, {"d", false, false}, {"$", false, false},
	} {
		if got := isMappingSym(tt.name); got != tt.mapping {
			t.Errorf("isMappingSym(%q) = %v, want %v", tt.name, got, tt.mapping)
		}
		if got := isMapping(tt.name, 'd'); got != tt.data {
			t.Errorf("isMapping(%q, 'd') = %v, want %v", tt.name, got, tt.data)
		}
	}
}

// TestDataRanges checks the data ranges made of $d/$x pairs.
func TestDataRanges(t *testing.T) {
	m := dataRangesOf([]*Symbol{
		{Name: "$x", Offset: 0}, {Name: "$d", Offset: 8}, {Name: "$x", Offset: 16},
		{Name: "f", Offset: 16}, {Name: "$d.1", Offset: 32},
	}, 40)
	for _, tt := range []struct {
		off  uint64
		end  uint64
		skip bool
	}{{0, 0, false}, {8, 16, true}, {12, 16, true}, {16, 0, false}, {32, 40, true}, {39, 40, true}} {
		end, ok := m.skip(tt.off)
		if ok != tt.skip || ok && end != tt.end {
			t.Errorf("skip(%d) = %d, %v; want %d, %v", tt.off, end, ok, tt.end, tt.skip)
		}
	}
}

// TestInRanges checks the sorted-range lookup used for inline tables.
func TestInRanges(t *testing.T) {
	rs := []arch.Range{{Start: 4, End: 8}, {Start: 16, End: 20}}
	for off, want := range map[uint64]bool{0: false, 4: true, 7: true, 8: false, 16: true, 20: false} {
		if got := inRanges(rs, off); got != want {
			t.Errorf("inRanges(%d) = %v, want %v", off, got, want)
		}
	}
}

// TestRustNoreturn checks objtool's Rust panic heuristics.
func TestRustNoreturn(t *testing.T) {
	for name, want := range map[string]bool{
		"_RNvNtCs1234_4core9panicking5panic":                      true,
		"_RNvNtNtCs1_4core5slice5index24slice_end_index_len_fail": true,
		"_RNvCs1_5alloc7reserve":                                  false,
		"panic":                                                   false,
	} {
		if got := isRustNoreturn(name); got != want {
			t.Errorf("isRustNoreturn(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestClassifyName checks the marks global symbol names earn on x86.
func TestClassifyName(t *testing.T) {
	syms := &arch.Symbols{Fentry: "__fentry__", RetpolinePrefix: "__x86_indirect_",
		ReturnThunk: "__x86_return_thunk", Embedded: []string{"srso_safe_ret"}}
	for name, want := range map[string]SymFlags{
		"__SCT__foo":                 SymStaticCallTramp,
		"__x86_indirect_thunk_rax":   SymRetpolineThunk,
		"__x86_return_thunk":         SymReturnThunk,
		"srso_safe_ret":              SymEmbeddedInsn,
		"__fentry__":                 SymFentry,
		"__sanitizer_cov_trace_pc":   SymProfilingFunc,
		"__tsan_atomic_signal_fence": SymProfilingFunc,
		"memcpy":                     0,
	} {
		if got := classifyName(name, syms); got != want {
			t.Errorf("classifyName(%q) = %b, want %b", name, got, want)
		}
	}
}

// TestBugLayouts checks the flag offsets of the __bug_table entry sizes.
func TestBugLayouts(t *testing.T) {
	for size, want := range map[uint64]uint64{8: 4, 12: 10, 16: 8, 24: 18} {
		if got := bugLayouts[size]; got != want {
			t.Errorf("bugLayouts[%d] = %d, want %d", size, got, want)
		}
	}
}

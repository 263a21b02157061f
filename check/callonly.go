package check

import (
	"debug/elf"

	"github.com/objcheck/objcheck/decode"
)

// callOnlyPlan is the plan of --mcount on a machine where upstream objtool
// decodes nothing but calls (powerpc): every call, in section and offset
// order, whose first relocation names the global ftrace entry symbol goes
// to __mcount_loc. objtool decodes the whole of every executable section
// with its own decoder, so this walks the bytes with that decoder's rules
// rather than with the full instruction graph.
func callOnlyPlan(f *decode.File, opts *Options) (*Plan, []byte) {
	if !opts.Mcount {
		return nil, nil
	}
	st := Step{Section: "__mcount_loc"}
	decodeAll := f.Arch.Write.CallOnly
	fentry := f.Arch.Syms.Fentry
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type == elf.SHT_NOBITS {
			continue
		}
		for off := uint64(0); off < sec.Size; {
			n, call := decodeAll(sec.Data[off:])
			if call {
				if r := sec.RelocInRange(off, uint64(n)); r != nil && r.Sym.Bind == elf.STB_GLOBAL && r.Sym.Name == fentry {
					st.Sites = append(st.Sites, Site{Sec: sec.Index, Off: off})
				}
			}
			off += uint64(max(n, 1))
		}
	}
	if len(st.Sites) == 0 {
		return nil, nil
	}
	if f.SectionByName("__mcount_loc") != nil {
		return nil, []byte(f.Name + ": warning: objtool: file already has __mcount_loc section, skipping\n")
	}
	st.Entries = len(st.Sites)
	return &Plan{Steps: []Step{st}}, nil
}

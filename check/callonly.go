package check

import (
	"debug/elf"

	"github.com/objcheck/objcheck/decode"
)

// callOnlyPlan is the plan of --mcount on a machine where upstream objtool
// decodes nothing but calls (powerpc), where it runs for nothing else.
// The message, if any, is a warning about the object.
func callOnlyPlan(f *decode.File, opts *Options) (*Plan, string) {
	if !opts.Mcount {
		return nil, ""
	}
	// As objtool, an __mcount_loc already there is reported first, even
	// when there would be nothing to add.
	if f.SectionByName("__mcount_loc") != nil {
		return nil, "file already has __mcount_loc section, skipping"
	}
	sites := callOnlyMcount(f)
	if len(sites) == 0 {
		return nil, ""
	}
	return &Plan{Steps: []Step{{Section: "__mcount_loc", Entries: len(sites), Sites: sites}}}, ""
}

// callOnlyMcount lists the calls to the ftrace entry as objtool finds them
// with its call-only decoder: every call, in section and offset order,
// whose first relocation names the global ftrace entry symbol. objtool
// decodes the whole of every executable section with that decoder, so
// this walks the bytes with its rules rather than the instruction graph.
func callOnlyMcount(f *decode.File) []Site {
	var sites []Site
	decodeCall := f.Arch.Write.CallOnly
	fentry := f.Arch.Syms.Fentry
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type == elf.SHT_NOBITS {
			continue
		}
		for off := uint64(0); off < sec.Size; {
			n, call := decodeCall(sec.Data[off:])
			if call {
				if r := sec.RelocInRange(off, uint64(n)); r != nil && r.Sym.Bind == elf.STB_GLOBAL && r.Sym.Name == fentry {
					sites = append(sites, Site{Sec: sec.Index, Off: off})
				}
			}
			off += uint64(max(n, 1))
		}
	}
	return sites
}

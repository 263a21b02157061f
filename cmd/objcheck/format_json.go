package main

import (
	"bytes"
	"encoding/json"

	"github.com/objcheck/objcheck/check"
)

// A jsonDiag is the JSON object of one diagnostic (--format=json). Fields
// whose value is unknown are left out.
type jsonDiag struct {
	Object         string      `json:"object"`
	Arch           string      `json:"arch,omitempty"`
	Section        string      `json:"section,omitempty"`
	Offset         *uint64     `json:"offset,omitempty"`
	Function       string      `json:"function,omitempty"`
	FunctionOffset *uint64     `json:"function_offset,omitempty"`
	Severity       string      `json:"severity"`
	Fatal          bool        `json:"fatal,omitempty"`
	Rule           string      `json:"rule"`
	Message        string      `json:"message"`
	Backtrace      []string    `json:"backtrace,omitempty"`
	Source         *jsonSource `json:"source,omitempty"`
	State          *jsonState  `json:"state,omitempty"`
}

// A jsonSource is the place .debug_line maps a diagnostic's address to.
type jsonSource struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

// A jsonState is the stack state at the instruction, in objtool's
// numbering (see check.StackState).
type jsonState struct {
	CFA       jsonLoc    `json:"cfa"`
	StackSize int        `json:"stack_size"`
	Type      int        `json:"type"`
	Saved     []jsonSave `json:"saved,omitempty"`
	DRAP      bool       `json:"drap,omitempty"`
	RASigned  bool       `json:"ra_signed,omitempty"`
	Text      string     `json:"text"`
}

type jsonLoc struct {
	Base   int `json:"base"`
	Offset int `json:"offset"`
}

type jsonSave struct {
	Reg int `json:"reg"`
	jsonLoc
}

// writeJSONLines writes one JSON object per diagnostic, one a line.
func writeJSONLines(b *bytes.Buffer, rep *fileReport) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	for i := range rep.diags {
		// Encoding these types cannot fail.
		_ = enc.Encode(toJSON(rep, &rep.diags[i]))
	}
}

// toJSON converts one diagnostic.
func toJSON(rep *fileReport, d *fileDiag) *jsonDiag {
	j := &jsonDiag{Object: rep.path, Arch: rep.arch, Severity: d.Severity.String(), Fatal: d.Fatal,
		Rule: d.Rule.String(), Message: d.Message, Backtrace: d.Backtrace}
	if l := d.Loc; l != nil {
		j.Section, j.Function = l.Section, l.Func
		if l.HasOffset {
			j.Offset = ptr(l.Offset)
			if l.Func != "" {
				j.FunctionOffset = ptr(l.FuncOffset)
			}
		}
	}
	if d.src != nil {
		j.Source = &jsonSource{File: d.src.file, Line: d.src.line, Column: d.src.column}
	}
	j.State = stateJSON(d.State)
	return j
}

func ptr[T any](v T) *T { return &v }

// stateJSON converts a stack state; nil stays nil.
func stateJSON(s *check.StackState) *jsonState {
	if s == nil {
		return nil
	}
	j := &jsonState{CFA: jsonLoc{s.CFA.Base, s.CFA.Offset}, StackSize: s.StackSize, Type: s.Type,
		DRAP: s.DRAP, RASigned: s.RASigned, Text: s.String()}
	for _, r := range s.Saved {
		j.Saved = append(j.Saved, jsonSave{Reg: r.Reg, jsonLoc: jsonLoc{r.At.Base, r.At.Offset}})
	}
	return j
}

package main

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/objcheck/objcheck/check"
)

// The SARIF 2.1.0 log objcheck writes with --format=sarif: one run, the
// rule table as the driver's rules, and one result per diagnostic, located
// in the source where .debug_line maps its address, else in the object.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	toolURI      = "https://github.com/objcheck/objcheck"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     sarifText     `json:"shortDescription"`
	FullDescription      sarifText     `json:"fullDescription"`
	Help                 sarifText     `json:"help"`
	DefaultConfiguration *sarifRuleCfg `json:"defaultConfiguration,omitempty"`
}

type sarifRuleCfg struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties *sarifProps     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int     `json:"startLine,omitempty"`
	StartColumn int     `json:"startColumn,omitempty"`
	ByteOffset  *uint64 `json:"byteOffset,omitempty"`
}

type sarifLogical struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// sarifProps are the result's properties SARIF has no field for: the
// object, its arch, the place in it, the backtrace and the stack state.
type sarifProps struct {
	Object         string     `json:"object"`
	Arch           string     `json:"arch,omitempty"`
	Section        string     `json:"section,omitempty"`
	Offset         *uint64    `json:"offset,omitempty"`
	FunctionOffset *uint64    `json:"functionOffset,omitempty"`
	Fatal          bool       `json:"fatal,omitempty"`
	Backtrace      []string   `json:"backtrace,omitempty"`
	State          *jsonState `json:"stackState,omitempty"`
}

// A sarifSink gathers the results of every file for the one log.
type sarifSink struct {
	results []sarifResult
}

func (s *sarifSink) add(r *fileResult) {
	if r.report == nil {
		return
	}
	for i := range r.report.diags {
		s.results = append(s.results, sarifResultOf(r.report, &r.report.diags[i]))
	}
}

func (s *sarifSink) finish(w io.Writer) {
	results := s.results
	if results == nil {
		results = []sarifResult{}
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool:    sarifTool{Driver: sarifDriver{Name: "objcheck", InformationURI: toolURI, Rules: sarifRules()}},
		Results: results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(&log) // the types cannot fail to encode
}

// sarifRules lists every rule, in check.Rules order: a result's
// ruleIndex is its rule's number.
func sarifRules() []sarifRule {
	var rules []sarifRule
	for _, r := range check.Rules() {
		info := r.Info()
		rule := sarifRule{ID: info.ID, ShortDescription: sarifText{info.Short},
			FullDescription: sarifText{info.Full}, Help: sarifText{info.Help + " Example: " + info.Example}}
		if info.Fatal {
			rule.DefaultConfiguration = &sarifRuleCfg{Level: "error"}
		}
		rules = append(rules, rule)
	}
	return rules
}

// sarifResultOf converts one diagnostic.
func sarifResultOf(rep *fileReport, d *fileDiag) sarifResult {
	level := "warning"
	if d.Fatal || d.Severity == check.SeverityError {
		level = "error"
	}
	props := &sarifProps{Object: rep.path, Arch: rep.arch, Fatal: d.Fatal, Backtrace: d.Backtrace,
		State: stateJSON(d.State)}
	loc := sarifLocation{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{fileURI(rep.path)}}}
	if l := d.Loc; l != nil {
		props.Section = l.Section
		if l.HasOffset {
			props.Offset = ptr(l.Offset)
			if l.Func != "" {
				props.FunctionOffset = ptr(l.FuncOffset)
			}
		}
		if l.HasFileOffset {
			loc.PhysicalLocation.Region = &sarifRegion{ByteOffset: ptr(l.FileOffset)}
		}
		if l.Func != "" {
			loc.LogicalLocations = []sarifLogical{{Name: l.Func, Kind: "function"}}
		}
	}
	if d.src != nil {
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{fileURI(d.src.file)},
			Region: &sarifRegion{StartLine: d.src.line, StartColumn: d.src.column}}
	}
	return sarifResult{RuleID: d.Rule.String(), RuleIndex: int(d.Rule), Level: level,
		Message: sarifText{d.Message}, Locations: []sarifLocation{loc}, Properties: props}
}

// fileURI makes a path a URI reference: file:// for an absolute path, a
// relative reference otherwise.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.Join(segs, "/")
	if filepath.IsAbs(path) {
		return "file://" + u
	}
	return u
}

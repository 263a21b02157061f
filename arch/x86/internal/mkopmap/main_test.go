package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerated checks that ../../opmap_tables.go is what the map of the
// kernel tree $KSRC gives.
func TestGenerated(t *testing.T) {
	ksrc := os.Getenv("KSRC")
	if ksrc == "" {
		t.Skip("KSRC is not set to a Linux 6.12 source tree")
	}
	data, err := os.ReadFile(filepath.Join(ksrc, "arch/x86/lib/x86-opcode-map.txt"))
	if err != nil {
		t.Skip(err)
	}
	have, err := os.ReadFile("../../opmap_tables.go")
	if err != nil {
		t.Fatal(err)
	}
	if want := Generate(data, "Linux 6.12's arch/x86/lib/x86-opcode-map.txt"); !bytes.Equal(have, want) {
		t.Error("opmap_tables.go is out of date: run go generate ./arch/x86 with KSRC set")
	}
}

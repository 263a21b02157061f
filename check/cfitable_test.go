package check

import "testing"

// TestCFITable: every name a pool gives reads back from the table,
// those that fit in 16 bits without the wide table being made, and
// clear forgets them all.
func TestCFITable(t *testing.T) {
	tests := []struct {
		name     string
		id       cfiID
		wantWide bool
	}{
		{"none", 0, false},
		{"first of pool 0", 1, false},
		{"first of pool 1", 1<<poolShift | 1, false},
		{"last narrow of pool 0", narrowLimit - 1, false},
		{"last narrow of pool 1", 1<<poolShift | (narrowLimit - 1), false},
		{"first wide of pool 0", narrowLimit, true},
		{"first wide of pool 1", 1<<poolShift | narrowLimit, true},
		{"far in pool 1", 1<<poolShift | (1<<poolShift - 1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := newCFITable(4)
			tab.set(0, 1<<poolShift|7)
			tab.set(2, tt.id)
			if got := tab.at(2); got != tt.id {
				t.Errorf("at = %#x, want %#x", got, tt.id)
			}
			if got := tab.at(0); got != 1<<poolShift|7 {
				t.Errorf("the instruction beside reads %#x, want %#x", got, 1<<poolShift|7)
			}
			if made := tab.wide != nil; made != tt.wantWide {
				t.Errorf("wide table made: %v, want %v", made, tt.wantWide)
			}
			tab.clear()
			for i := range int32(tab.len()) {
				if got := tab.at(i); got != 0 {
					t.Errorf("after clear, instruction %d reads %#x", i, got)
				}
			}
		})
	}
}

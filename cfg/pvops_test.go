package cfg

import "testing"

func TestOpcodeByte(t *testing.T) {
	for _, tt := range []struct {
		code []byte
		want byte
	}{
		{[]byte{0x48, 0xc7, 0x05, 0, 0, 0, 0, 0, 0, 0, 0}, 0xc7},          // movq $imm32, disp(%rip)
		{[]byte{0x66, 0x2e, 0x48, 0xc7, 0x05}, 0xc7},                      // prefixes, REX
		{[]byte{0x0f, 0x0b, 'x', 'e', 'n', 0x48, 0xc7}, 0xc7},             // emulation prefix
		{[]byte{0xc7, 0x05, 0, 0, 0, 0, 0, 0, 0, 0}, 0xc7},                // no REX
		{[]byte{0xc4, 0xe2, 0x79, 0xc7, 0x05, 0, 0, 0, 0, 0, 0}, 0},       // VEX: not classified
		{[]byte{0x62, 0xf1, 0x7c, 0x48, 0xc7, 0x05, 0, 0, 0, 0, 0, 0}, 0}, // EVEX
		{[]byte{0x66, 0x66}, 0},
		{nil, 0},
	} {
		if got := opcodeByte(tt.code); got != tt.want {
			t.Errorf("opcodeByte(% x) = %#x, want %#x", tt.code, got, tt.want)
		}
	}
}

// TestPvOpsAdd checks objtool_pv_add's rules: the patched functions never
// count, a function joins one slot only, a slot lists the last found
// first, and slots out of the table are ignored.
func TestPvOpsAdd(t *testing.T) {
	pv := &PvOps{Slots: make([]PvSlot, 3), added: map[*Symbol]bool{}}
	a, b, c := &Symbol{Name: "a"}, &Symbol{Name: "b"}, &Symbol{Name: "c"}
	nop, ident := &Symbol{Name: "_paravirt_nop"}, &Symbol{Name: "_paravirt_ident_64"}
	pv.add(0, a)
	pv.add(0, nop)
	pv.add(1, ident)
	pv.add(0, b)
	pv.add(1, a) // already in slot 0
	pv.add(3, c) // no slot 3
	pv.add(-1, c)
	pv.add(2, nil)
	pv.add(2, c)
	want := [][]string{{"b", "a"}, nil, {"c"}}
	for i, s := range pv.Slots {
		var names []string
		for _, t := range s.Targets {
			names = append(names, t.Name)
		}
		if len(names) != len(want[i]) {
			t.Errorf("slot %d: %v, want %v", i, names, want[i])
			continue
		}
		for j := range names {
			if names[j] != want[i][j] {
				t.Errorf("slot %d: %v, want %v", i, names, want[i])
			}
		}
	}
}

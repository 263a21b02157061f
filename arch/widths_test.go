package arch

import "testing"

// TestWidthTable looks up listed, unlisted and out-of-range types.
func TestWidthTable(t *testing.T) {
	width := WidthTable(func() map[uint8][]int {
		return map[uint8][]int{8: {1, 300}, 4: {2, 0}, 2: {7}}
	})
	for _, c := range []struct {
		typ  uint32
		want uint64
	}{
		{0, 4}, {1, 8}, {2, 4}, {3, 0}, {7, 2}, {299, 0}, {300, 8}, {301, 0}, {1 << 31, 0},
	} {
		if got := width(c.typ); got != c.want {
			t.Errorf("width(%d) = %d, want %d", c.typ, got, c.want)
		}
	}
}

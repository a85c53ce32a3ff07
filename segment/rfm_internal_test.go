package segment

import "testing"

// TestRFMGrid checks the grid cell by cell against the rules documented on
// ScoreRFM, written out as ranges.
func TestRFMGrid(t *testing.T) {
	rule := func(r, fm int) RFMSegment {
		in := func(x, lo, hi int) bool { return x >= lo && x <= hi }
		switch {
		case r == 1 && fm == 1:
			return Lost
		case in(r, 1, 2) && in(fm, 1, 2):
			return Hibernating
		case in(r, 1, 2) && in(fm, 3, 4):
			return AtRisk
		case in(r, 1, 2) && fm == 5:
			return CannotLoseThem
		case r == 3 && in(fm, 1, 2):
			return AboutToSleep
		case r == 3 && fm == 3:
			return NeedAttention
		case in(r, 3, 4) && in(fm, 4, 5):
			return Loyal
		case r == 4 && fm == 1:
			return Promising
		case r == 5 && fm == 1:
			return NewCustomers
		case in(r, 4, 5) && in(fm, 2, 3):
			return PotentialLoyalist
		case r == 5 && in(fm, 4, 5):
			return Champions
		}
		return ""
	}
	seen := map[RFMSegment]bool{}
	for r := 1; r <= 5; r++ {
		for fm := 1; fm <= 5; fm++ {
			got, want := rfmGrid[r-1][fm-1], rule(r, fm)
			if got != want || want == "" {
				t.Errorf("R%d FM%d: %q, want %q", r, fm, got, want)
			}
			seen[got] = true
		}
	}
	for _, s := range RFMSegments[:11] {
		if !seen[s] {
			t.Errorf("segment %q is on no cell", s)
		}
	}
}

func TestQuintile(t *testing.T) {
	for _, tc := range []struct{ beaten, n, want int }{
		{0, 1, 1}, {0, 2, 1}, {1, 2, 5}, {0, 5, 1}, {2, 5, 3}, {4, 5, 5}, {1, 5, 2}, {19, 100, 1}, {20, 100, 2}, {99, 100, 5}, {79, 100, 4}, {80, 100, 5},
	} {
		if got := quintile(tc.beaten, tc.n); got != tc.want {
			t.Errorf("quintile(%d, %d) = %d, want %d", tc.beaten, tc.n, got, tc.want)
		}
	}
}

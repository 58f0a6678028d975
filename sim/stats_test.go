package sim

import (
	"math"
	"testing"
)

func TestWilson(t *testing.T) {
	for i, test := range []struct {
		k, n   int64
		lo, hi float64
	}{
		// Computed by hand from the score formula.
		{0, 10, 0, 0.27753279986288155},
		{10, 10, 0.7224672001371185, 1},
		{5, 10, 0.23659309051257643, 0.7634069094874236},
		{0, 0, 0, 1},
	} {
		lo, hi := Wilson(test.k, test.n)
		if math.Abs(lo-test.lo) > 1e-12 || math.Abs(hi-test.hi) > 1e-12 {
			t.Errorf("%d: Wilson(%d, %d) = [%v, %v], want [%v, %v]", i, test.k, test.n, lo, hi, test.lo, test.hi)
		}
	}
	// No war in any run, or war in every run: the interval ends exactly at
	// 0 or 1, not a rounding error inside (Wilson(300, 300) came out at
	// 0.9999999999999998).
	for n := int64(1); n <= 5000; n++ {
		if lo, _ := Wilson(0, n); lo != 0 {
			t.Fatalf("Wilson(0, %d) starts at %v", n, lo)
		}
		if _, hi := Wilson(n, n); hi != 1 {
			t.Fatalf("Wilson(%d, %d) ends at %v", n, n, hi)
		}
	}
}

func TestPairedDiff(t *testing.T) {
	for i, test := range []struct {
		p         Paired
		d, lo, hi float64
	}{
		// Agresti–Min by hand: half a run added to each cell.
		{Paired{Runs: 100, VariantOnly: 10, BaseOnly: 2}, 0.08, 0.010842140682498697, 0.14602060441554052},
		{Paired{Runs: 100, VariantOnly: 2, BaseOnly: 10}, -0.08, -0.14602060441554052, -0.010842140682498697},
		// No run disagrees: not a zero-width interval...
		{Paired{Runs: 200, Both: 30}, 0, -0.009702792002673535, 0.009702792002673535},
		// ... unless the variant is the baseline itself.
		{Paired{Runs: 200, Both: 30, Identical: true}, 0, 0, 0},
		// A single run: the interval stays within [-1, 1].
		{Paired{Runs: 1, VariantOnly: 1}, 1, -0.5101008745877733, 1},
		{Paired{}, 0, -1, 1},
	} {
		d, lo, hi := test.p.PairedDiff()
		if math.Abs(d-test.d) > 1e-12 || math.Abs(lo-test.lo) > 1e-12 || math.Abs(hi-test.hi) > 1e-12 {
			t.Errorf("%d: %+v: %v [%v, %v], want %v [%v, %v]", i, test.p, d, lo, hi, test.d, test.lo, test.hi)
		}
	}
	// For many runs it is the textbook Wald interval for paired
	// proportions, d ± 1.96·√(((b + c) − (b − c)²/n)/n²).
	p := Paired{Runs: 100000, VariantOnly: 1200, BaseOnly: 3400, Both: 20000}
	n, b, c := 100000.0, 1200.0, 3400.0
	half := z95 * math.Sqrt((b+c)-(b-c)*(b-c)/n) / n
	d, lo, hi := p.PairedDiff()
	if math.Abs(lo-(d-half)) > 1e-4 || math.Abs(hi-(d+half)) > 1e-4 {
		t.Errorf("large n: [%v, %v], Wald [%v, %v]", lo, hi, d-half, d+half)
	}
}

// A cost per war averted only where the fall in P(war) is clear, and no
// negative "cost" for a variant that is both cheaper and better.
func TestCostPerWarAverted(t *testing.T) {
	clear := Paired{Runs: 1000, Both: 100, BaseOnly: 50, VariantOnly: 0}  // −5 points, clearly
	unclear := Paired{Runs: 1000, Both: 100, BaseOnly: 3, VariantOnly: 1} // −0.2 points
	worse := Paired{Runs: 1000, Both: 100, BaseOnly: 0, VariantOnly: 50}  // +5 points
	for i, test := range []struct {
		p        Paired
		costDiff float64
		per      float64 // 0: null
		dominant bool
	}{
		{clear, 1e6, 1e6 / 0.05, false},
		{clear, -1e5, 0, true},
		{clear, 0, 0, true},
		{unclear, 1e6, 0, false},
		{unclear, -1e6, 0, false},
		{worse, 1e6, 0, false},
	} {
		ps := pairedSummary(&test.p, test.costDiff)
		got := 0.0
		if ps.CostPerWarAverted != nil {
			got = *ps.CostPerWarAverted
		}
		if math.Abs(got-test.per) > 1e-6 || ps.Dominant != test.dominant {
			t.Errorf("%d: cost per war averted %v, dominant %v; want %v, %v", i, got, ps.Dominant, test.per, test.dominant)
		}
	}
}

package scenarios

import (
	"fmt"
	"strings"
	"testing"
)

// manyKeys returns a scenario whose country has n unknown keys, one a
// line from line 5.
func manyKeys(n int) []byte {
	var b strings.Builder
	b.WriteString("horizon_months = 12\n[country.a]\ninitial_tension = 0.3\nstructural_pressure = 0.3\n")
	for i := range n {
		fmt.Fprintf(&b, "k%d = 1\n", i)
	}
	return []byte(b.String())
}

// A file of many keys reports its first errors with their lines. (Finding
// lines used to cost a pass over the file for every key in it: a 500 kB
// file took seconds; see BenchmarkParseManyKeys.)
func TestPositionsManyKeys(t *testing.T) {
	_, err := Parse("many.toml", manyKeys(20000))
	errs, ok := err.(Errors)
	if !ok || len(errs) != maxErrors {
		t.Fatalf("got %v, want %d errors", err, maxErrors)
	}
	for i, e := range errs {
		if want := fmt.Sprintf("k%d", i); e.Key != "country.a."+want || e.Line != 5+i {
			t.Errorf("error %d: %s at line %d, want country.a.%s at line %d", i, e.Key, e.Line, want, 5+i)
		}
	}
}

func TestPositionsImplicitTable(t *testing.T) {
	data := []byte("horizon_months = 12\n\n[country.a.shock.x]\nrate_per_year = 1\n")
	p := newPositions(data)
	for i, test := range []struct {
		path []string
		want int
	}{
		{[]string{"horizon_months"}, 1},
		{[]string{"country", "a", "shock", "x", "rate_per_year"}, 4},
		// Defined only through [country.a.shock.x]: its first line.
		{[]string{"country", "a", "shock"}, 3},
		{[]string{"country"}, 3},
		// Not in the file: the nearest ancestor that is.
		{[]string{"country", "a", "shock", "x", "mean_size"}, 3},
		{[]string{"nowhere"}, 0},
		{nil, 0},
	} {
		if got := p.line(test.path); got != test.want {
			t.Errorf("%d: line(%q) = %d, want %d", i, test.path, got, test.want)
		}
	}
}

func BenchmarkParseManyKeys(b *testing.B) {
	data := manyKeys(40000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("many.toml", data); err == nil {
			b.Fatal("no error")
		}
	}
}

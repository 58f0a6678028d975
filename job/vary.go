package job

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// ParseVary parses a varied key path and its values, PATH=FROM:TO:STEP
// or PATH=a,b,c. FROM:TO:STEP gives FROM, FROM+STEP, ... up to TO,
// keeping integers as integers; a list may not hold a value twice.
func ParseVary(s string) (sim.SweepDimension, error) {
	path, spec, ok := strings.Cut(s, "=")
	if !ok || path == "" || spec == "" {
		return sim.SweepDimension{}, invalidf("--vary %q: want PATH=FROM:TO:STEP or PATH=a,b,c", s)
	}
	if _, err := scenarios.ParsePath(path); err != nil {
		return sim.SweepDimension{}, invalidf("--vary %q: %v", s, err)
	}
	d := sim.SweepDimension{Path: path}
	if colons := strings.Count(spec, ":"); colons > 0 && !strings.ContainsAny(spec, ",\"") {
		if colons != 2 {
			return d, invalidf("--vary %q: a range is FROM:TO:STEP, three numbers (e.g. 0:12:3)", s)
		}
		vals, err := rangeValues(spec)
		if err != nil {
			return d, invalidf("--vary %q: %v", s, err)
		}
		d.Values = vals
		return d, nil
	}
	for _, v := range strings.Split(spec, ",") {
		if v = strings.TrimSpace(v); v == "" {
			return d, invalidf("--vary %q: empty value in the list", s)
		}
		if i := slices.IndexFunc(d.Values, func(w string) bool { return sameValue(v, w) }); i >= 0 {
			// Two identical points are one point run twice, as a
			// strategy listed twice is (which compare refuses too).
			return d, invalidf("--vary %q: value %s listed twice (as %s)", s, v, d.Values[i])
		}
		d.Values = append(d.Values, v)
	}
	return d, nil
}

// rangeValues expands FROM:TO:STEP, keeping integers as integers and
// printing floats without accumulated rounding (0.3, not 0.30000000000000004).
func rangeValues(spec string) ([]string, error) {
	parts := strings.Split(spec, ":")
	ints := true
	var iv [3]int64
	var fv [3]float64
	for k, p := range parts {
		p = strings.TrimSpace(p)
		if i, err := strconv.ParseInt(p, 10, 64); err == nil {
			iv[k], fv[k] = i, float64(i)
			continue
		}
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", p)
		}
		ints = false
		fv[k] = f
	}
	from, to, step := fv[0], fv[1], fv[2]
	if step <= 0 || to < from {
		return nil, fmt.Errorf("want FROM <= TO and STEP > 0")
	}
	count := math.Floor((to-from)/step+1e-9) + 1
	if !(count <= resultfile.MaxSweepPoints) {
		return nil, fmt.Errorf("%.0f values is more than %d", count, resultfile.MaxSweepPoints)
	}
	n := int(count)
	var out []string
	for i := range n {
		if ints {
			out = append(out, strconv.FormatInt(iv[0]+int64(i)*iv[2], 10))
			continue
		}
		v := from + float64(i)*step
		out = append(out, strconv.FormatFloat(v, 'g', 12, 64))
	}
	return out, nil
}

// gridIndices lists the points of the grid in row-major order.
func gridIndices(dims []sim.SweepDimension) [][]int {
	var out [][]int
	var walk func(prefix []int)
	walk = func(prefix []int) {
		if len(prefix) == len(dims) {
			out = append(out, append([]int(nil), prefix...))
			return
		}
		for i := range dims[len(prefix)].Values {
			walk(append(prefix, i))
		}
	}
	walk(nil)
	return out
}

// sameValue reports whether two --vary values are the same value: the same
// text, or the same number (2 and 2.0).
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	x, errx := strconv.ParseFloat(a, 64)
	y, erry := strconv.ParseFloat(b, 64)
	return errx == nil && erry == nil && x == y
}

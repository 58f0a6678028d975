package calibrate

import (
	"math/rand/v2"
	"strconv"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

// next draws the stage after s from row s of p with the uniform u.
func next(p *Matrix, s acd.Stage, u float64) acd.Stage {
	row := p[s]
	if u < row[0] {
		return acd.None
	}
	if u < row[0]+row[1] {
		return acd.Minor
	}
	return acd.War
}

// SimulatePanel draws a panel from the chain p: one unit per entry of
// starts, in that stage in year first, followed for years more years.
func SimulatePanel(p Matrix, starts []acd.Stage, first, years int, rng *rand.Rand) *acd.Panel {
	out := &acd.Panel{First: first, Last: first + years, Units: make([]acd.Unit, len(starts))}
	for i, s := range starts {
		st := make([]acd.Stage, years+1)
		st[0] = s
		for t := 1; t <= years; t++ {
			st[t] = next(&p, st[t-1], rng.Float64())
		}
		out.Units[i] = acd.Unit{ID: strconv.Itoa(i), First: first, Stages: st}
	}
	return out
}

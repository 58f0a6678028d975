package sim

import (
	"errors"
	"fmt"
)

// TensionBins is the number of fixed-width bins over [0, 1] in which
// tension is counted (bin width 0.01).
const TensionBins = 100

// tensionBin returns the histogram bin of tension x in [0, 1].
func tensionBin(x float64) int {
	b := int(x * TensionBins)
	if b >= TensionBins {
		b = TensionBins - 1
	}
	if b < 0 {
		b = 0
	}
	return b
}

// Outcome counts the war outcomes of a set of runs for one country, or for
// "any country" in a scenario with several. Every field is an integer count,
// so outcomes of disjoint sets of runs add up exactly.
type Outcome struct {
	// EverWar counts runs at war in at least one month 0..H.
	EverWar int64 `json:"ever_war"`
	// FirstWar[m] counts runs whose first month at war is m (0..H).
	FirstWar []int64 `json:"first_war"`
	// WarMonths[k] counts runs with k months at war among months 1..H.
	WarMonths []int64 `json:"war_months"`
	// Onsets[k] counts runs with k war episodes in months 0..H: entries
	// into war, a war under way in month 0 counting as the first.
	Onsets []int64 `json:"onsets"`
}

func newOutcome(h int) Outcome {
	return Outcome{
		FirstWar:  make([]int64, h+1),
		WarMonths: make([]int64, h+1),
		Onsets:    make([]int64, h+1),
	}
}

// CountryResult holds one country's aggregates.
type CountryResult struct {
	Outcome
	// FinalStage counts runs by stage in month H.
	FinalStage [NumStages]int64 `json:"final_stage"`
	// Occupancy[m][s] counts runs in stage s in month m (0..H).
	Occupancy [][NumStages]int64 `json:"occupancy"`
	// Tension[m][b] counts runs whose tension in month m falls in bin b of
	// width 1/TensionBins (tension dynamics only).
	Tension [][]int64 `json:"tension,omitempty"`
	// TensionMin[m] and TensionMax[m] are the lowest and highest tension in
	// month m over all runs, which make quantiles exact when every run has
	// the same tension (tension dynamics only).
	TensionMin []float64 `json:"tension_min,omitempty"`
	TensionMax []float64 `json:"tension_max,omitempty"`
	// PeakTension[b] counts runs by the bin of their highest tension
	// (tension dynamics only).
	PeakTension []int64 `json:"peak_tension,omitempty"`
	// PeakTensionRange is the lowest and the highest of the runs' highest
	// tensions, exact (tension dynamics only; [1, 0] without runs). They
	// pin the peak statistics from the histogram, as TensionMin and
	// TensionMax pin the monthly quantiles.
	PeakTensionRange []float64 `json:"peak_tension_range,omitempty"`
}

// InterventionResult holds one intervention's aggregates.
type InterventionResult struct {
	// Consented counts runs in which the hosts accepted the mission.
	Consented int64 `json:"consented"`
	// Launched counts runs in which the mission was launched (its start
	// month came, or its trigger fired and was detected) within the horizon.
	Launched int64 `json:"launched"`
	// ActiveMonths[k] counts runs in which it acted in k months of 1..H.
	ActiveMonths []int64 `json:"active_months"`
	// FirstActive[m] counts runs in which it first acted in month m.
	FirstActive []int64 `json:"first_active"`
	// StaffShare[k] sums, over runs and acting months, the share of its
	// staff serving its k'th country, in units of 1/ShareUnit: the whole
	// staff for a single country, the tension-weighted split of a regional
	// mandate. Costs by country follow from it; integers keep merges exact.
	StaffShare []int64 `json:"staff_share"`
}

// ShareUnit is the fixed-point unit of InterventionResult.StaffShare: one
// month of a mission's whole staff in one country.
const ShareUnit = 1 << 16

// Result is the aggregate of a set of runs of one scenario. Merge adds the
// aggregates of disjoint sets of runs.
type Result struct {
	Horizon       int                  `json:"horizon_months"`
	Runs          int64                `json:"runs"`
	Countries     []CountryResult      `json:"countries"`
	AnyWar        Outcome              `json:"any_war"`
	Interventions []InterventionResult `json:"interventions"`
}

// NewResult returns empty aggregates for the scenario.
func NewResult(sc *Scenario) *Result {
	h := sc.Horizon
	r := &Result{Horizon: h, AnyWar: newOutcome(h)}
	r.Countries = make([]CountryResult, len(sc.Countries))
	for i := range r.Countries {
		c := &r.Countries[i]
		c.Outcome = newOutcome(h)
		c.Occupancy = make([][NumStages]int64, h+1)
		if sc.Model.Dynamics == Tension {
			c.Tension = make([][]int64, h+1)
			flat := make([]int64, (h+1)*TensionBins)
			for m := range c.Tension {
				c.Tension[m] = flat[m*TensionBins : (m+1)*TensionBins : (m+1)*TensionBins]
			}
			c.PeakTension = make([]int64, TensionBins)
			c.PeakTensionRange = []float64{1, 0}
			c.TensionMin = make([]float64, h+1)
			c.TensionMax = make([]float64, h+1)
			for m := range c.TensionMin {
				c.TensionMin[m], c.TensionMax[m] = 1, 0
			}
		}
	}
	r.Interventions = make([]InterventionResult, len(sc.Interventions))
	for i := range r.Interventions {
		r.Interventions[i].ActiveMonths = make([]int64, h+1)
		r.Interventions[i].FirstActive = make([]int64, h+1)
		r.Interventions[i].StaffShare = make([]int64, len(sc.Interventions[i].Countries))
	}
	return r
}

// errShape reports aggregates that cannot be merged.
var errShape = errors.New("aggregates have different shapes")

// Merge adds o's counts to r. Both must come from the same scenario; runs
// must be disjoint for the result to mean anything.
func (r *Result) Merge(o *Result) error {
	if r.Horizon != o.Horizon || len(r.Countries) != len(o.Countries) || len(r.Interventions) != len(o.Interventions) {
		return fmt.Errorf("merge: %w (horizon %d vs %d, %d vs %d countries, %d vs %d interventions)",
			errShape, r.Horizon, o.Horizon, len(r.Countries), len(o.Countries), len(r.Interventions), len(o.Interventions))
	}
	if err := checkShape(r, o); err != nil {
		return err
	}
	r.Runs += o.Runs
	r.AnyWar.add(&o.AnyWar)
	for i := range r.Countries {
		a, b := &r.Countries[i], &o.Countries[i]
		a.Outcome.add(&b.Outcome)
		for s := range NumStages {
			a.FinalStage[s] += b.FinalStage[s]
		}
		for m := range a.Occupancy {
			for s := range NumStages {
				a.Occupancy[m][s] += b.Occupancy[m][s]
			}
		}
		for m := range a.Tension {
			addInto(a.Tension[m], b.Tension[m])
			a.TensionMin[m] = min(a.TensionMin[m], b.TensionMin[m])
			a.TensionMax[m] = max(a.TensionMax[m], b.TensionMax[m])
		}
		addInto(a.PeakTension, b.PeakTension)
		if len(a.PeakTensionRange) == 2 {
			a.PeakTensionRange[0] = min(a.PeakTensionRange[0], b.PeakTensionRange[0])
			a.PeakTensionRange[1] = max(a.PeakTensionRange[1], b.PeakTensionRange[1])
		}
	}
	for i := range r.Interventions {
		a, b := &r.Interventions[i], &o.Interventions[i]
		a.Consented += b.Consented
		a.Launched += b.Launched
		addInto(a.ActiveMonths, b.ActiveMonths)
		addInto(a.FirstActive, b.FirstActive)
		addInto(a.StaffShare, b.StaffShare)
	}
	return nil
}

// checkShape verifies that every slice of o has the length of r's, so that
// aggregates read from a damaged file cannot cause an out-of-range index.
func checkShape(r, o *Result) error {
	same := func(a, b int) bool { return a == b }
	okOutcome := func(a, b *Outcome) bool {
		return same(len(a.FirstWar), len(b.FirstWar)) && same(len(a.WarMonths), len(b.WarMonths)) && same(len(a.Onsets), len(b.Onsets))
	}
	if !okOutcome(&r.AnyWar, &o.AnyWar) {
		return fmt.Errorf("merge: %w (any-war outcome)", errShape)
	}
	for i := range r.Countries {
		a, b := &r.Countries[i], &o.Countries[i]
		if !okOutcome(&a.Outcome, &b.Outcome) || len(a.Occupancy) != len(b.Occupancy) ||
			len(a.Tension) != len(b.Tension) || len(a.PeakTension) != len(b.PeakTension) ||
			len(a.PeakTensionRange) != len(b.PeakTensionRange) || len(a.PeakTensionRange) != 0 && len(a.PeakTensionRange) != 2 ||
			len(a.TensionMin) != len(b.TensionMin) || len(a.TensionMax) != len(b.TensionMax) ||
			len(a.TensionMin) != len(a.Tension) {
			return fmt.Errorf("merge: %w (country %d)", errShape, i+1)
		}
		for m := range a.Tension {
			if len(a.Tension[m]) != len(b.Tension[m]) {
				return fmt.Errorf("merge: %w (country %d tension month %d)", errShape, i+1, m)
			}
		}
	}
	for i := range r.Interventions {
		if len(r.Interventions[i].ActiveMonths) != len(o.Interventions[i].ActiveMonths) ||
			len(r.Interventions[i].FirstActive) != len(o.Interventions[i].FirstActive) ||
			len(r.Interventions[i].StaffShare) != len(o.Interventions[i].StaffShare) {
			return fmt.Errorf("merge: %w (intervention %d)", errShape, i+1)
		}
	}
	return nil
}

func (a *Outcome) add(b *Outcome) {
	a.EverWar += b.EverWar
	addInto(a.FirstWar, b.FirstWar)
	addInto(a.WarMonths, b.WarMonths)
	addInto(a.Onsets, b.Onsets)
}

func addInto(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

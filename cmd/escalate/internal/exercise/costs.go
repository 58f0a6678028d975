package exercise

import (
	"math"

	"github.com/escalate-sim/escalate/sim"
)

// CostInterval is a strategy's cost against the baseline (the first
// strategy, no mission) over the debrief's runs, paired run by run on
// common random numbers: escalate compare reports the mean cost and the
// cost per war averted without intervals, since its mergeable aggregates
// keep no per-run cost differences; the debrief has every run's records.
type CostInterval struct {
	Strategy string `json:"strategy"`
	// CostDiff is the mean extra cost per run, with a normal 95% interval
	// from the per-run differences (costs differ run by run with consent
	// and, for triggered missions, the launch month); null with one run.
	CostDiff     float64     `json:"cost_diff"`
	CostDiffCI95 *[2]float64 `json:"cost_diff_ci95"`
	// CostPerWarAverted is the comparison's figure (null where it reports
	// none: no clear fall in P(war), or no extra cost); its interval is the
	// delta method's for the ratio of the mean cost difference to the fall
	// in P(war), from the runs' joint differences in cost and in war.
	CostPerWarAverted     *float64    `json:"cost_per_war_averted"`
	CostPerWarAvertedCI95 *[2]float64 `json:"cost_per_war_averted_ci95"`
}

// pairedCosts accumulates, in run order, each variant's differences from
// variant 0 in cost (dc) and in war (dw, -1, 0 or 1) of the headline
// outcome: country (an index) or any country (-1).
type pairedCosts struct {
	country int
	run     int64
	started bool
	cost    []float64 // this run's, by variant
	war     []bool
	n       float64
	// Sums by variant of dc, dc², dw, dw², dc·dw.
	sc, scc, sw, sww, scw []float64
}

func newPairedCosts(variants, country int) *pairedCosts {
	mk := func() []float64 { return make([]float64, variants) }
	return &pairedCosts{country: country, cost: mk(), war: make([]bool, variants),
		sc: mk(), scc: mk(), sw: mk(), sww: mk(), scw: mk()}
}

// add takes one chunk of records (runs in order, each run's variants and
// countries together).
func (p *pairedCosts) add(recs []sim.CountryRecord) error {
	for _, r := range recs {
		if !p.started || r.Run != p.run {
			p.finish()
			p.started, p.run = true, r.Run
		}
		if p.country >= 0 && r.Country != p.country {
			continue
		}
		p.cost[r.Variant] += r.Cost
		p.war[r.Variant] = p.war[r.Variant] || r.EverWar
	}
	return nil
}

// finish adds the run in progress.
func (p *pairedCosts) finish() {
	if !p.started {
		return
	}
	p.n++
	for v := range p.cost {
		dc := p.cost[v] - p.cost[0]
		dw := b2f(p.war[v]) - b2f(p.war[0])
		p.sc[v] += dc
		p.scc[v] += dc * dc
		p.sw[v] += dw
		p.sww[v] += dw * dw
		p.scw[v] += dc * dw
	}
	clear(p.cost)
	clear(p.war)
	p.started = false
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// interval returns variant v's cost interval; perWar is the comparison's
// cost per war averted (nil if none).
func (p *pairedCosts) interval(v int, id string, perWar *float64) CostInterval {
	const z = 1.959963984540054
	n := p.n
	mc, mw := p.sc[v]/n, p.sw[v]/n
	ci := CostInterval{Strategy: id, CostDiff: mc, CostPerWarAverted: perWar}
	if n < 2 {
		return ci // no spread to measure
	}
	// Sample (co)variances of the per-run differences.
	k := n / (n - 1)
	vc := max(p.scc[v]/n-mc*mc, 0) * k
	vw := max(p.sww[v]/n-mw*mw, 0) * k
	cw := (p.scw[v]/n - mc*mw) * k
	se := math.Sqrt(vc / n)
	ci.CostDiffCI95 = &[2]float64{mc - z*se, mc + z*se}
	if perWar != nil && mw < 0 {
		// R = mean(dc) / -mean(dw): Var R ≈ (Var dc + 2R Cov(dc,dw) +
		// R² Var dw) / (n mean(dw)²).
		r := *perWar
		vr := (vc + 2*r*cw + r*r*vw) / (n * mw * mw)
		if vr >= 0 && !math.IsNaN(vr) {
			s := math.Sqrt(vr)
			ci.CostPerWarAvertedCI95 = &[2]float64{r - z*s, r + z*s}
		}
	}
	return ci
}

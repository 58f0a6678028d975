package sim

import "math"

// Variant names one scenario of a comparison.
type Variant struct {
	ID          string `json:"name"`
	Name        string `json:"title"`
	Description string `json:"description,omitempty"`
}

// ComparisonSummary compares variants run with common random numbers. The
// strategies' top-level outcomes are the headline outcome (see [Headline]):
// by default "any country at war" (for a single country, that country);
// ByCountry gives the same per country.
type ComparisonSummary struct {
	Scenario      string            `json:"scenario"`
	Title         string            `json:"title"`
	Runs          int64             `json:"runs"`
	Seed          uint64            `json:"seed"`
	HorizonMonths int               `json:"horizon_months"`
	Baseline      string            `json:"baseline"`
	Countries     []string          `json:"countries"`
	Headline      Headline          `json:"headline"`
	Strategies    []StrategySummary `json:"strategies"`
}

// StrategySummary is one variant's outcomes and its paired differences
// from the baseline.
type StrategySummary struct {
	Variant
	PWar          float64    `json:"p_war"`
	PWarCI95      [2]float64 `json:"p_war_ci95"`
	WarMonthsMean float64    `json:"war_months_mean"`
	// CostMean is the mean cost per run of all missions, or with a
	// country headline, of the missions' staff deployed in that country.
	CostMean   float64          `json:"cost_mean"`
	TimeToWar  TimeToWarSummary `json:"time_to_war"`
	VsBaseline PairedSummary    `json:"vs_baseline"`
	// ByCountry has the same statistics per country (several countries).
	ByCountry []CountryComparison `json:"by_country,omitempty"`
}

// CountryComparison is one country's outcomes under one variant.
type CountryComparison struct {
	ID            string        `json:"id"`
	Name          string        `json:"name"`
	PWar          float64       `json:"p_war"`
	PWarCI95      [2]float64    `json:"p_war_ci95"`
	WarMonthsMean float64       `json:"war_months_mean"`
	CostMean      float64       `json:"cost_mean"`
	VsBaseline    PairedSummary `json:"vs_baseline"`
}

// PairedSummary holds paired differences (variant minus baseline) over the
// same runs, with 95% intervals from the per-run differences.
type PairedSummary struct {
	PWarDiff          float64    `json:"p_war_diff"`
	PWarDiffCI95      [2]float64 `json:"p_war_diff_ci95"`
	WarMonthsDiff     float64    `json:"war_months_diff"`
	WarMonthsDiffCI95 [2]float64 `json:"war_months_diff_ci95"`
	CostDiff          float64    `json:"cost_diff"`
	// CostPerWarAverted is the extra cost per run divided by the fall in
	// P(war), when the variant clearly lowers P(war) (the 95% interval of
	// the difference lies below 0) at an extra cost; null otherwise.
	CostPerWarAverted *float64 `json:"cost_per_war_averted"`
	// Dominant says that the variant clearly lowers P(war) at no extra
	// cost: no cost per war averted is needed to prefer it.
	Dominant bool `json:"dominant"`
	// CRNVarianceRatio is the variance the P(war) difference would have
	// with independent streams divided by its paired variance: how many
	// times more runs an unpaired comparison would need for the same
	// precision. Null when the paired variance is zero.
	CRNVarianceRatio *float64 `json:"crn_variance_ratio"`
	// Discordant runs: at war under one variant and not the other.
	BaselineOnlyWar int64 `json:"baseline_only_war"`
	VariantOnlyWar  int64 `json:"variant_only_war"`
}

// SummarizeComparison derives the comparison summary. variants and labels
// are in the order given to Compare; the first is the baseline. hl is the
// headline outcome, from [NewHeadline] on the baseline.
func SummarizeComparison(variants []*Scenario, labels []Variant, cmp *Comparison, seed uint64, hl Headline) *ComparisonSummary {
	base := variants[0]
	cs := &ComparisonSummary{
		Scenario: base.Name, Title: base.Title, Seed: seed,
		Runs: cmp.Results[0].Runs, HorizonMonths: base.Horizon, Baseline: labels[0].ID, Headline: hl,
	}
	for _, c := range base.Countries {
		cs.Countries = append(cs.Countries, c.ID)
	}
	summaries := make([]*Summary, len(variants))
	for v, sc := range variants {
		summaries[v] = Summarize(sc, cmp.Results[v], seed)
	}
	nc := len(base.Countries)
	unit := hl.unit(base) // the headline's index in Paired
	_, baseCost := hl.pick(summaries[0])
	for v, s := range summaries {
		o, cost := hl.pick(s)
		st := StrategySummary{
			Variant: labels[v], PWar: o.PWar, PWarCI95: o.PWarCI95,
			WarMonthsMean: o.WarMonths.Mean, CostMean: cost, TimeToWar: o.TimeToWar,
		}
		st.VsBaseline = pairedSummary(&cmp.Paired[v][unit], cost-baseCost)
		if nc > 1 {
			for c := range nc {
				cc := &s.Countries[c]
				st.ByCountry = append(st.ByCountry, CountryComparison{
					ID: cc.ID, Name: cc.Name, PWar: cc.PWar, PWarCI95: cc.PWarCI95,
					WarMonthsMean: cc.WarMonths.Mean, CostMean: cc.Cost.Mean,
					VsBaseline: pairedSummary(&cmp.Paired[v][c], cc.Cost.Mean-summaries[0].Countries[c].Cost.Mean),
				})
			}
		}
		cs.Strategies = append(cs.Strategies, st)
	}
	return cs
}

// SamePWar reports whether every strategy has the same headline P(war),
// 0 or 1, and which: then P(war) cannot tell the strategies apart.
func (cs *ComparisonSummary) SamePWar() (float64, bool) {
	if len(cs.Strategies) < 2 {
		return 0, false
	}
	p := cs.Strategies[0].PWar
	for _, st := range cs.Strategies {
		if st.PWar != p || p != 0 && p != 1 {
			return 0, false
		}
	}
	return p, true
}

func pairedSummary(p *Paired, costDiff float64) PairedSummary {
	ps := PairedSummary{CostDiff: costDiff, BaselineOnlyWar: p.BaseOnly, VariantOnlyWar: p.VariantOnly}
	ps.PWarDiff, ps.PWarDiffCI95[0], ps.PWarDiffCI95[1] = p.PairedDiff()
	ps.WarMonthsDiff, ps.WarMonthsDiffCI95[0], ps.WarMonthsDiffCI95[1] = p.MonthsDiff()
	switch {
	case ps.PWarDiffCI95[1] >= 0:
		// No clear fall in P(war): a cost per war averted would divide by
		// noise.
	case costDiff > 0:
		c := costDiff / -ps.PWarDiff
		ps.CostPerWarAverted = &c
	default:
		ps.Dominant = true
	}
	if paired, indep := p.PairedVariance(); paired > 0 && !math.IsNaN(indep) {
		r := indep / paired
		ps.CRNVarianceRatio = &r
	}
	return ps
}

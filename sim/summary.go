package sim

import "slices"

// Summary is what a user reads: the statistics derived from a Result. It is
// computed from integer counts only, so the same aggregates always give the
// same summary, byte for byte, however the runs were split.
type Summary struct {
	Scenario      string `json:"scenario"`
	Title         string `json:"title"`
	Runs          int64  `json:"runs"`
	Seed          uint64 `json:"seed"`
	HorizonMonths int    `json:"horizon_months"`
	Dynamics      string `json:"dynamics"`
	// MonthsPerStep is the Markov step (markov dynamics only): stages,
	// and so months at war, change only every this many months.
	MonthsPerStep int                   `json:"months_per_step,omitempty"`
	Thresholds    *Thresholds           `json:"thresholds,omitempty"`
	Countries     []CountrySummary      `json:"countries"`
	AnyWar        *OutcomeSummary       `json:"any_war,omitempty"`
	Interventions []InterventionSummary `json:"interventions"`
	Cost          CostSummary           `json:"cost"`
}

// Thresholds are the tension model's stage thresholds, for charts.
type Thresholds struct {
	Escalation float64 `json:"escalation"`
	War        float64 `json:"war"`
	Hysteresis float64 `json:"hysteresis"`
}

// OutcomeSummary summarises the war outcomes of one country, or of "any
// country at war".
type OutcomeSummary struct {
	PWar      float64          `json:"p_war"`
	PWarCI95  [2]float64       `json:"p_war_ci95"`
	TimeToWar TimeToWarSummary `json:"time_to_war"`
	WarMonths WarMonthsSummary `json:"war_months"`
	WarOnsets WarOnsetsSummary `json:"war_onsets"`
}

// TimeToWarSummary is the Kaplan–Meier survival curve of the first month
// at war, censored at the horizon: Survival[m] is the share of runs not yet
// at war by month m. With censoring only at the horizon it equals the
// empirical share.
type TimeToWarSummary struct {
	MedianMonths *int      `json:"median_months"`
	Survival     []float64 `json:"survival"`
}

// WarMonthsSummary describes the months at war (of months 1..H) across runs.
// Histogram[k] is the number of runs with k months at war.
type WarMonthsSummary struct {
	Mean      float64 `json:"mean"`
	P50       float64 `json:"p50"`
	P90       float64 `json:"p90"`
	Histogram []int64 `json:"histogram"`
}

// WarOnsetsSummary describes the number of war episodes in months 0..H
// (an entry into war; a war under way in month 0 counts as the first).
type WarOnsetsSummary struct {
	Mean float64 `json:"mean"`
	// PRecurrence is the share of runs with two or more war episodes: a
	// war after a previous war ended.
	PRecurrence float64 `json:"p_recurrence"`
}

// StageShares holds one number per stage.
type StageShares struct {
	Latent     float64 `json:"latent"`
	Escalating float64 `json:"escalating"`
	War        float64 `json:"war"`
}

// StageIntervals holds a 95% interval per stage.
type StageIntervals struct {
	Latent     [2]float64 `json:"latent"`
	Escalating [2]float64 `json:"escalating"`
	War        [2]float64 `json:"war"`
}

// StageSeries holds one series per stage.
type StageSeries struct {
	Latent     []float64 `json:"latent"`
	Escalating []float64 `json:"escalating"`
	War        []float64 `json:"war"`
}

// At returns stage s's value.
func (s StageShares) At(st Stage) float64 {
	return [NumStages]float64{s.Latent, s.Escalating, s.War}[st]
}

// At returns stage s's interval.
func (s StageIntervals) At(st Stage) [2]float64 {
	return [NumStages][2]float64{s.Latent, s.Escalating, s.War}[st]
}

// At returns stage s's series.
func (s StageSeries) At(st Stage) []float64 {
	return [NumStages][]float64{s.Latent, s.Escalating, s.War}[st]
}

// Quantiles are tension quantiles by month.
type Quantiles struct {
	P05 []float64 `json:"p05"`
	P25 []float64 `json:"p25"`
	P50 []float64 `json:"p50"`
	P75 []float64 `json:"p75"`
	P95 []float64 `json:"p95"`
}

// CountrySummary summarises one country.
type CountrySummary struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	OutcomeSummary
	FinalStage       StageShares    `json:"final_stage"`
	FinalStageCI95   StageIntervals `json:"final_stage_ci95"`
	Occupancy        StageSeries    `json:"occupancy"`
	TensionQuantiles *Quantiles     `json:"tension_quantiles,omitempty"`
	PeakTension      *PeakSummary   `json:"peak_tension,omitempty"`
	Cost             CostSummary    `json:"cost"`
}

// PeakSummary describes each run's highest tension. The statistics come
// from a histogram of bins of width 0.01 (the mean from bin midpoints, the
// quantiles interpolated within a bin), so they are within 0.01 of the
// exact ones, and are clamped to the exact lowest and highest peak: when
// every run has the same peak they are exact.
type PeakSummary struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
}

// CostSummary is a mean cost per run, in the currency of the scenario's
// cost_per_staff_month.
type CostSummary struct {
	Mean float64 `json:"mean"`
}

// InterventionSummary summarises one mission component.
type InterventionSummary struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`
	Countries []string `json:"countries"`
	// Trigger is "escalating" or "war" for a triggered mission, else empty.
	Trigger      string  `json:"trigger,omitempty"`
	StartMonth   int     `json:"start_month"`
	StartupDelay int     `json:"startup_delay_months"`
	Staff        float64 `json:"staff"`
	// EndMonth and StaffFrom repeat the scenario's timed decisions, when
	// it has any: no month >= EndMonth acts; the staff changes at those
	// months.
	EndMonth  int           `json:"end_month,omitempty"`
	StaffFrom []StaffChange `json:"staff_from,omitempty"`
	PConsent  float64       `json:"p_consent"`
	PLaunched float64       `json:"p_launched"`
	// ActiveMonthsMean is the mean number of months (of 1..H) it acted.
	ActiveMonthsMean float64 `json:"active_months_mean"`
	// FirstActiveMedian is the median first month in which it acted, over
	// the runs in which it acted at all (null if it never did).
	FirstActiveMedian *int        `json:"first_active_median"`
	Cost              CostSummary `json:"cost"`
}

// Summarize derives the summary of r, a result of sc with the given seed.
func Summarize(sc *Scenario, r *Result, seed uint64) *Summary {
	s := &Summary{
		Scenario:      sc.Name,
		Title:         sc.Title,
		Runs:          r.Runs,
		Seed:          seed,
		HorizonMonths: r.Horizon,
		Dynamics:      sc.Model.Dynamics.String(),
		Interventions: []InterventionSummary{}, // [] in JSON, not null, without missions
	}
	if sc.Model.Dynamics == Tension {
		s.Thresholds = &Thresholds{sc.Model.EscalationThreshold, sc.Model.WarThreshold, sc.Model.Hysteresis}
	} else {
		s.MonthsPerStep = sc.Model.MonthsPerStep
	}
	n := r.Runs
	share := func(k int64) float64 {
		if n == 0 {
			return 0
		}
		return float64(k) / float64(n)
	}
	ivCost := make([]float64, len(sc.Interventions))
	for i := range sc.Interventions {
		iv := &sc.Interventions[i]
		ir := &r.Interventions[i]
		months := histMean(ir.ActiveMonths, n)
		ivCost[i] = iv.MeanCost(ir, n)
		is := InterventionSummary{
			ID: iv.ID, Name: iv.Name, Kind: iv.Kind.String(),
			StartMonth: iv.StartMonth, StartupDelay: iv.StartupDelay, Staff: iv.Staff,
			EndMonth: iv.EndMonth, StaffFrom: slices.Clone(iv.StaffFrom),
			PConsent: share(ir.Consented), PLaunched: share(ir.Launched),
			ActiveMonthsMean: months, Cost: CostSummary{ivCost[i]},
		}
		if acted := n - ir.ActiveMonths[0]; acted > 0 {
			cum := int64(0)
			for m, k := range ir.FirstActive {
				cum += k
				if 2*cum >= acted {
					med := m
					is.FirstActiveMedian = &med
					break
				}
			}
		}
		if iv.Triggered {
			is.Trigger = iv.Trigger.String()
			is.StartMonth = -1
		}
		for _, c := range iv.Countries {
			is.Countries = append(is.Countries, sc.Countries[c].ID)
		}
		s.Interventions = append(s.Interventions, is)
		s.Cost.Mean += ivCost[i]
	}
	for c := range sc.Countries {
		cr := &r.Countries[c]
		cs := CountrySummary{
			ID: sc.Countries[c].ID, Name: sc.Countries[c].Name,
			OutcomeSummary: summarizeOutcome(&cr.Outcome, n),
		}
		fs := [NumStages]float64{}
		var ci [NumStages][2]float64
		for st := range NumStages {
			fs[st] = share(cr.FinalStage[st])
			ci[st][0], ci[st][1] = Wilson(cr.FinalStage[st], n)
		}
		cs.FinalStage = StageShares{fs[0], fs[1], fs[2]}
		cs.FinalStageCI95 = StageIntervals{ci[0], ci[1], ci[2]}
		var occ [NumStages][]float64
		for st := range NumStages {
			occ[st] = make([]float64, len(cr.Occupancy))
			for m := range cr.Occupancy {
				occ[st][m] = share(cr.Occupancy[m][st])
			}
		}
		cs.Occupancy = StageSeries{occ[0], occ[1], occ[2]}
		if cr.Tension != nil {
			q := &Quantiles{}
			for _, qs := range []struct {
				dst *[]float64
				q   float64
			}{{&q.P05, 0.05}, {&q.P25, 0.25}, {&q.P50, 0.50}, {&q.P75, 0.75}, {&q.P95, 0.95}} {
				*qs.dst = make([]float64, len(cr.Tension))
				for m := range cr.Tension {
					// The histogram places a quantile within 0.01; the
					// exact extremes pin it when runs agree.
					q := binQuantile(cr.Tension[m], n, qs.q)
					if n > 0 {
						q = min(max(q, cr.TensionMin[m]), cr.TensionMax[m])
					}
					(*qs.dst)[m] = q
				}
			}
			cs.TensionQuantiles = q
			// From the histogram of peaks (bins of 0.01: the mean takes
			// bin midpoints, the quantiles interpolate within a bin),
			// clamped to the exact lowest and highest peak, so that runs
			// that agree give the exact value.
			pk := &PeakSummary{
				Mean: binMean(cr.PeakTension, n),
				P50:  binQuantile(cr.PeakTension, n, 0.5),
				P90:  binQuantile(cr.PeakTension, n, 0.9),
			}
			if n > 0 && len(cr.PeakTensionRange) == 2 {
				lo, hi := cr.PeakTensionRange[0], cr.PeakTensionRange[1]
				for _, v := range []*float64{&pk.Mean, &pk.P50, &pk.P90} {
					*v = min(max(*v, lo), hi)
				}
			}
			cs.PeakTension = pk
		}
		for i := range sc.Interventions {
			iv := &sc.Interventions[i]
			for k, ic := range iv.Countries {
				if ic == c && n > 0 {
					// The staff that served there: a regional mandate's
					// cost follows its staff, split by tension.
					// StaffShare counts in units of the reference staff,
					// Staff unless a schedule raises it.
					cs.Cost.Mean += iv.ReferenceStaff() * iv.CostPerStaffMonth * float64(r.Interventions[i].StaffShare[k]) / ShareUnit / float64(n)
				}
			}
		}
		s.Countries = append(s.Countries, cs)
	}
	if len(sc.Countries) > 1 {
		o := summarizeOutcome(&r.AnyWar, n)
		s.AnyWar = &o
	}
	return s
}

func summarizeOutcome(o *Outcome, n int64) OutcomeSummary {
	s := OutcomeSummary{}
	if n > 0 {
		s.PWar = float64(o.EverWar) / float64(n)
	}
	s.PWarCI95[0], s.PWarCI95[1] = Wilson(o.EverWar, n)
	s.TimeToWar.Survival = make([]float64, len(o.FirstWar))
	cum := int64(0)
	for m, k := range o.FirstWar {
		cum += k
		surv := 1.0
		if n > 0 {
			surv = 1 - float64(cum)/float64(n)
		}
		s.TimeToWar.Survival[m] = surv
		if s.TimeToWar.MedianMonths == nil && n > 0 && 2*cum >= n {
			med := m
			s.TimeToWar.MedianMonths = &med
		}
	}
	s.WarMonths = WarMonthsSummary{
		Mean:      histMean(o.WarMonths, n),
		P50:       histQuantile(o.WarMonths, n, 0.5),
		P90:       histQuantile(o.WarMonths, n, 0.9),
		Histogram: append([]int64(nil), o.WarMonths...),
	}
	recur := int64(0)
	for k, c := range o.Onsets {
		if k >= 2 {
			recur += c
		}
	}
	s.WarOnsets.Mean = histMean(o.Onsets, n)
	if n > 0 {
		s.WarOnsets.PRecurrence = float64(recur) / float64(n)
	}
	return s
}

// binMean returns the mean of a tension histogram, taking each bin's
// midpoint.
func binMean(h []int64, n int64) float64 {
	if n == 0 {
		return 0
	}
	s := 0.0
	for b, c := range h {
		s += (float64(b) + 0.5) / float64(len(h)) * float64(c)
	}
	return s / float64(n)
}

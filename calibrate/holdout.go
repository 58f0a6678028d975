package calibrate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"text/tabwriter"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

// RecurrenceYears is the window in which a war is counted as followed by
// renewed conflict.
const RecurrenceYears = 10

// Holdout is an out-of-sample check of a chain fitted on the years before
// Year: forecasts of the years Year..To, scored against two baselines, and
// the recurrence and spell durations the chain implies against those
// observed.
type Holdout struct {
	Year, To int // first and last year predicted
	Fit      *Markov
	// Scores of one-year-ahead forecasts, per country-year in Year..To
	// whose previous year is in the panel.
	N                                  int
	Brier, BrierPersistence, BrierBase Score
	Log, LogPersistence, LogBase       Score
	// Paired differences, the chain's score minus persistence's and minus
	// the base rates', with intervals from the same country resamples:
	// narrower than the separate intervals suggest, since every forecast
	// is scored on the same country-years.
	BrierVsPersistence, BrierVsBase, LogVsPersistence, LogVsBase Score
	// Shares of countries in each stage by year, observed and predicted
	// from the stages in Year-1 (mean and 95% band over simulated panels).
	Shares []YearShares
	// Recurrence: share of wars followed by renewed conflict within
	// RecurrenceYears of their end, over From..To.
	Recurrence Recurrence
	// Durations of spells of war and of peace (years), observed and
	// simulated, as Kaplan-Meier survival curves.
	War, Peace Durations
	Sims       int
	Seed       uint64
}

// Score is a mean score per country-year with its 95% interval from a
// bootstrap over countries.
type Score struct{ Mean, Low, High float64 }

func (s Score) String() string { return fmt.Sprintf("%.4f [%.4f, %.4f]", s.Mean, s.Low, s.High) }

// YearShares are the shares of countries in each stage in one year.
type YearShares struct {
	Year              int
	Countries         int
	Observed          [K]float64
	Predicted, Lo, Hi [K]float64
}

// Recurrence is the share of war episodes followed by renewed conflict.
// Its shares are NaN (null in JSON) when there is no war episode to count.
type Recurrence struct {
	Episodes  int       `json:"episodes"`  // observed war episodes that ended with RecurrenceYears of data after
	Observed  NullFloat `json:"observed"`  // share followed by conflict within RecurrenceYears
	Simulated NullFloat `json:"simulated"` // mean over simulated panels
	Lo        NullFloat `json:"simulated_ci95_low"`
	Hi        NullFloat `json:"simulated_ci95_high"` // 95% band over simulated panels
}

// NullFloat is a float64 written to JSON as null when it is NaN.
type NullFloat float64

// MarshalJSON writes null for NaN, the number otherwise.
func (f NullFloat) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// Durations are spell lengths: Kaplan-Meier survival S(d) = P(spell lasts
// more than d years), d = 0, 1, ..., observed and simulated.
type Durations struct {
	Spells    int       `json:"observed_spells"`
	Observed  []float64 `json:"observed_survival"`
	Simulated []float64 `json:"simulated_survival"`
}

// Validate fits the chain on the transitions of from..year-1 and checks it
// on year..to. sims panels are simulated from the fit (seeded) for the
// predicted shares, recurrence and durations; resamples bootstrap the
// scores' intervals.
func Validate(p *acd.Panel, from, year, to, resamples, sims int, seed uint64) (*Holdout, error) {
	if year <= from || year > to {
		return nil, fmt.Errorf("calibrate: --holdout %d must be after --from %d and not after --to %d", year, from, to)
	}
	fit, err := FitMarkov(p, from, year-1, resamples, seed)
	if err != nil {
		return nil, fmt.Errorf("fitting the years before the holdout: %w", err)
	}
	h := &Holdout{Year: year, To: to, Fit: fit, Sims: sims, Seed: seed}
	h.scores(p, resamples, seed)
	if h.N == 0 {
		return nil, fmt.Errorf("calibrate: no country-year in %d-%d follows a year in the panel: nothing to predict", year, to)
	}
	rng := rand.New(rand.NewPCG(seed, 0x686f6c646f7574)) // "holdout"
	h.shares(p, sims, rng)
	h.spells(p, from, to, sims, rng)
	return h, nil
}

// forecasts returns the three one-year-ahead forecasts from stage s: the
// chain, persistence and the base rates.
//
// Persistence forecasts last year's stage with the training years' share
// of country-years that stayed in their stage, and splits the rest evenly:
// a forecast of probability 1 would have an infinite log score on the
// first change.
func (h *Holdout) forecasts() (chain, persist, base [K][K]float64) {
	c := h.Fit.Counts
	total := float64(c.Total())
	stay := float64(c[0][0]+c[1][1]+c[2][2]) / total
	for i := range K {
		for j := range K {
			chain[i][j] = h.Fit.P[i][j]
			base[i][j] = float64(c[0][j]+c[1][j]+c[2][j]) / total
			if i == j {
				persist[i][j] = stay
			} else {
				persist[i][j] = (1 - stay) / (K - 1)
			}
		}
	}
	return
}

// minLogProb is the probability the log score gives a move the forecast
// says is impossible (never seen in the fitted years), instead of log 0 =
// -infinity: log(1e-6) = -13.8. It does not apply to the README's examples,
// where all nine transitions occur in the fitted years.
const minLogProb = 1e-6

func brier(f [K]float64, obs acd.Stage) float64 {
	s := 0.0
	for j := range K {
		o := 0.0
		if acd.Stage(j) == obs {
			o = 1
		}
		s += (f[j] - o) * (f[j] - o)
	}
	return s
}

func (h *Holdout) scores(p *acd.Panel, resamples int, seed uint64) {
	chain, persist, base := h.forecasts()
	fs := [3]*[K][K]float64{&chain, &persist, &base}
	// Per country: sums of the six scores and the number of country-years.
	type sums struct {
		n int
		s [6]float64
	}
	var per []sums
	for i := range p.Units {
		u := &p.Units[i]
		var su sums
		for t := h.Year; t <= h.To; t++ {
			a, b := u.At(t-1), u.At(t)
			if a == acd.Absent || b == acd.Absent {
				continue
			}
			su.n++
			for k, f := range fs {
				su.s[k] += brier(f[a], b)
				su.s[3+k] += math.Log(max(f[a][b], minLogProb))
			}
		}
		if su.n > 0 {
			per = append(per, su)
		}
	}
	mean := func(idx []int) [6]float64 {
		var tot [6]float64
		n := 0
		for _, i := range idx {
			n += per[i].n
			for k := range 6 {
				tot[k] += per[i].s[k]
			}
		}
		for k := range 6 {
			tot[k] /= float64(n)
		}
		return tot
	}
	all := make([]int, len(per))
	for i := range all {
		all[i] = i
		h.N += per[i].n
	}
	if h.N == 0 {
		nan := Score{math.NaN(), math.NaN(), math.NaN()}
		h.Brier, h.BrierPersistence, h.BrierBase, h.Log, h.LogPersistence, h.LogBase = nan, nan, nan, nan, nan, nan
		h.BrierVsPersistence, h.BrierVsBase, h.LogVsPersistence, h.LogVsBase = nan, nan, nan, nan
		return
	}
	// The six scores, then the four differences chain - persistence and
	// chain - base rates (Brier, then log).
	ten := func(m [6]float64) [10]float64 {
		return [10]float64{m[0], m[1], m[2], m[3], m[4], m[5], m[0] - m[1], m[0] - m[2], m[3] - m[4], m[3] - m[5]}
	}
	est := ten(mean(all))
	rng := rand.New(rand.NewPCG(seed, 0x73636f726573)) // "scores"
	var boot [10][]float64
	idx := make([]int, len(per))
	for range resamples {
		for i := range idx {
			idx[i] = rng.IntN(len(per))
		}
		m := ten(mean(idx))
		for k := range m {
			boot[k] = append(boot[k], m[k])
		}
	}
	out := [10]*Score{&h.Brier, &h.BrierPersistence, &h.BrierBase, &h.Log, &h.LogPersistence, &h.LogBase,
		&h.BrierVsPersistence, &h.BrierVsBase, &h.LogVsPersistence, &h.LogVsBase}
	for k := range out {
		lo, hi := interval(boot[k])
		*out[k] = Score{est[k], lo, hi}
	}
}

// shares compares the observed shares of the countries in the panel in
// year Year-1 with the chain's prediction from their stages that year.
func (h *Holdout) shares(p *acd.Panel, sims int, rng *rand.Rand) {
	var units []*acd.Unit
	for i := range p.Units {
		if p.Units[i].At(h.Year-1) != acd.Absent {
			units = append(units, &p.Units[i])
		}
	}
	years := h.To - h.Year + 1
	sim := make([][K][]float64, years)
	for range sims {
		counts := make([][K]int, years)
		tot := make([]int, years)
		for _, u := range units {
			s := u.At(h.Year - 1)
			for k := range years {
				s = next(&h.Fit.P, s, rng.Float64())
				if u.At(h.Year+k) != acd.Absent {
					counts[k][s]++
					tot[k]++
				}
			}
		}
		for k := range years {
			for j := range K {
				sim[k][j] = append(sim[k][j], float64(counts[k][j])/float64(max(tot[k], 1)))
			}
		}
	}
	for k := range years {
		ys := YearShares{Year: h.Year + k}
		var c [K]int
		for _, u := range units {
			if s := u.At(h.Year + k); s != acd.Absent {
				c[s]++
				ys.Countries++
			}
		}
		for j := range K {
			ys.Observed[j] = float64(c[j]) / float64(max(ys.Countries, 1))
			xs := sim[k][j]
			m := 0.0
			for _, x := range xs {
				m += x
			}
			ys.Predicted[j] = m / float64(len(xs))
			ys.Lo[j], ys.Hi[j] = interval(xs)
		}
		h.Shares = append(h.Shares, ys)
	}
}

// simulateLike draws a panel shaped like p over from-1..to: each unit starts
// in its observed stage in its first year there and follows the chain,
// with the years it is absent from p absent too.
func simulateLike(p *acd.Panel, m *Matrix, from, to int, rng *rand.Rand) *acd.Panel {
	out := &acd.Panel{First: from - 1, Last: to}
	for i := range p.Units {
		u := &p.Units[i]
		su := acd.Unit{ID: u.ID, First: from - 1, Stages: make([]acd.Stage, to-from+2)}
		s := acd.Absent
		for t := from - 1; t <= to; t++ {
			obs := u.At(t)
			switch {
			case s == acd.Absent:
				s = obs
			default:
				s = next(m, s, rng.Float64())
			}
			su.Stages[t-from+1] = acd.Absent
			if obs != acd.Absent {
				su.Stages[t-from+1] = s
			}
		}
		out.Units = append(out.Units, su)
	}
	return out
}

// recurrence counts the war episodes of p in from..to (runs of conflict
// years with at least one year of war, ended by a year of peace) whose end
// is followed by RecurrenceYears years in the data, and how many of them
// saw conflict again within those years.
func recurrence(p *acd.Panel, from, to int) (episodes, recurred int) {
	for i := range p.Units {
		u := &p.Units[i]
		war := false
		for t := from; t <= to; t++ {
			s := u.At(t)
			switch {
			case s == acd.Absent:
				war = false
			case s == acd.War:
				war = true
			case s == acd.Minor:
			case war: // first year of peace after a war episode
				war = false
				if t+RecurrenceYears-1 > to {
					continue
				}
				known, again := true, false
				for k := t + 1; k < t+RecurrenceYears && known && !again; k++ {
					switch u.At(k) {
					case acd.Absent: // the country left the data first: unknown
						known = false
					case acd.Minor, acd.War:
						again = true
					}
				}
				if again || known {
					episodes++
				}
				if again {
					recurred++
				}
			}
		}
	}
	return
}

// spellLengths returns the spells in stage s that begin in from..to (the
// year before is in the panel and in another stage): their lengths in
// years, and whether each was seen to end (false: censored by the end of
// the period or of the country's years).
func spellLengths(p *acd.Panel, s acd.Stage, from, to int) (length []int, ended []bool) {
	for i := range p.Units {
		u := &p.Units[i]
		for t := from; t <= to; t++ {
			if u.At(t) != s || u.At(t-1) == s || u.At(t-1) == acd.Absent {
				continue
			}
			n := 1
			for t+n <= to && u.At(t+n) == s {
				n++
			}
			length = append(length, n)
			ended = append(ended, t+n <= to && u.At(t+n) != acd.Absent)
		}
	}
	return
}

// KaplanMeier returns S(d) for d = 0..maxD: the share of spells lasting
// more than d years, with censored spells leaving the risk set after their
// last observed year.
func KaplanMeier(length []int, ended []bool, maxD int) []float64 {
	s := make([]float64, maxD+1)
	surv := 1.0
	s[0] = 1
	for d := 1; d <= maxD; d++ {
		atRisk, events := 0, 0
		for i, l := range length {
			if l >= d {
				atRisk++
				if l == d && ended[i] {
					events++
				}
			}
		}
		if atRisk > 0 {
			surv *= 1 - float64(events)/float64(atRisk)
		}
		s[d] = surv
	}
	return s
}

// maxDuration is the longest spell the duration curves show, in years.
const maxDuration = 30

func (h *Holdout) spells(p *acd.Panel, from, to, sims int, rng *rand.Rand) {
	e, r := recurrence(p, from, to)
	h.Recurrence.Episodes = e
	h.Recurrence.Observed = NullFloat(float64(r) / float64(e)) // NaN without episodes
	var simRec []float64
	var wl, pl []int
	var we, pe []bool
	for range sims {
		q := simulateLike(p, &h.Fit.P, from, to, rng)
		if e, r := recurrence(q, from, to); e > 0 {
			simRec = append(simRec, float64(r)/float64(e))
		}
		l, d := spellLengths(q, acd.War, from, to)
		wl, we = append(wl, l...), append(we, d...)
		l, d = spellLengths(q, acd.None, from, to)
		pl, pe = append(pl, l...), append(pe, d...)
	}
	m := 0.0
	for _, x := range simRec {
		m += x
	}
	h.Recurrence.Simulated = NullFloat(m / float64(len(simRec))) // NaN if no panel had an episode
	lo, hi := interval(slices.Clone(simRec))
	h.Recurrence.Lo, h.Recurrence.Hi = NullFloat(lo), NullFloat(hi)
	l, d := spellLengths(p, acd.War, from, to)
	h.War = Durations{Spells: len(l), Observed: KaplanMeier(l, d, maxDuration), Simulated: KaplanMeier(wl, we, maxDuration)}
	l, d = spellLengths(p, acd.None, from, to)
	h.Peace = Durations{Spells: len(l), Observed: KaplanMeier(l, d, maxDuration), Simulated: KaplanMeier(pl, pe, maxDuration)}
}

type jsonScore struct {
	Mean float64    `json:"mean"`
	CI95 [2]float64 `json:"ci95"`
}

type jsonHoldout struct {
	From             int                  `json:"from"`
	To               int                  `json:"to"`
	FitFrom          int                  `json:"fit_from"`
	FitTo            int                  `json:"fit_to"`
	CountryYears     int                  `json:"country_years"`
	Brier            float64              `json:"brier"`
	BrierPersistence float64              `json:"brier_persistence"`
	BrierBase        float64              `json:"brier_base_rates"`
	Log              float64              `json:"log_score"`
	LogPersistence   float64              `json:"log_score_persistence"`
	LogBase          float64              `json:"log_score_base_rates"`
	Intervals        map[string]jsonScore `json:"ci95"`
	FitTransitions   Matrix               `json:"fit_probabilities"`
	Shares           []jsonShares         `json:"shares"`
	Recurrence       Recurrence           `json:"recurrence"`
	RecurrenceYears  int                  `json:"recurrence_years"`
	WarDurations     Durations            `json:"war_durations"`
	PeaceDurations   Durations            `json:"peace_durations"`
	Simulations      int                  `json:"simulations"`
}

type jsonShares struct {
	Year      int        `json:"year"`
	Countries int        `json:"countries"`
	Observed  [K]float64 `json:"observed"`
	Predicted [K]float64 `json:"predicted"`
	Lo        [K]float64 `json:"predicted_ci95_low"`
	Hi        [K]float64 `json:"predicted_ci95_high"`
}

func (h *Holdout) json() *jsonHoldout {
	j := &jsonHoldout{
		From: h.Year, To: h.To, FitFrom: h.Fit.From, FitTo: h.Fit.To, CountryYears: h.N,
		Brier: h.Brier.Mean, BrierPersistence: h.BrierPersistence.Mean, BrierBase: h.BrierBase.Mean,
		Log: h.Log.Mean, LogPersistence: h.LogPersistence.Mean, LogBase: h.LogBase.Mean,
		Intervals:      map[string]jsonScore{},
		FitTransitions: h.Fit.P,
		Recurrence:     h.Recurrence, RecurrenceYears: RecurrenceYears,
		WarDurations: h.War, PeaceDurations: h.Peace, Simulations: h.Sims,
	}
	for name, s := range map[string]Score{"brier": h.Brier, "brier_persistence": h.BrierPersistence, "brier_base_rates": h.BrierBase,
		"log_score": h.Log, "log_score_persistence": h.LogPersistence, "log_score_base_rates": h.LogBase,
		"brier_minus_persistence": h.BrierVsPersistence, "brier_minus_base_rates": h.BrierVsBase,
		"log_score_minus_persistence": h.LogVsPersistence, "log_score_minus_base_rates": h.LogVsBase} {
		j.Intervals[name] = jsonScore{s.Mean, [2]float64{s.Low, s.High}}
	}
	for _, s := range h.Shares {
		j.Shares = append(j.Shares, jsonShares{s.Year, s.Countries, s.Observed, s.Predicted, s.Lo, s.Hi})
	}
	return j
}

func (h *Holdout) writeTable(w io.Writer) error {
	fmt.Fprintf(w, "\nHoldout: fitted on %d-%d, predicting %d-%d (%d country-years, one year ahead)\n\n", h.Fit.From, h.Fit.To, h.Year, h.To, h.N)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Forecast\tBrier score (lower is better)\tChain minus this\tLog score (higher is better)\tChain minus this")
	fmt.Fprintf(tw, "fitted chain\t%s\t-\t%s\t-\n", h.Brier, h.Log)
	fmt.Fprintf(tw, "persistence\t%s\t%s\t%s\t%s\n", h.BrierPersistence, h.BrierVsPersistence, h.LogPersistence, h.LogVsPersistence)
	fmt.Fprintf(tw, "base rates\t%s\t%s\t%s\t%s\n", h.BrierBase, h.BrierVsBase, h.LogBase, h.LogVsBase)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nShare of countries in each stage (observed; predicted from %d with its 95%% band):\n", h.Year-1)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Year\tCountries\tnone\tminor\twar")
	for _, s := range h.Shares {
		fmt.Fprintf(tw, "%d\t%d", s.Year, s.Countries)
		for j := range K {
			fmt.Fprintf(tw, "\t%.1f%% (%.1f%% [%.1f, %.1f])", 100*s.Observed[j], 100*s.Predicted[j], 100*s.Lo[j], 100*s.Hi[j])
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	r := h.Recurrence
	fmt.Fprintf(w, "\nWars followed by renewed conflict within %d years, %d-%d: observed %.1f%% of %d; simulated %.1f%% [%.1f, %.1f]\n",
		RecurrenceYears, h.Fit.From, h.To, 100*r.Observed, r.Episodes, 100*r.Simulated, 100*r.Lo, 100*r.Hi)
	for _, d := range []struct {
		name string
		d    Durations
	}{{"war", h.War}, {"peace", h.Peace}} {
		fmt.Fprintf(w, "Spells of %s lasting more than 1, 2, 5, 10 years (%d observed spells): observed %s; simulated %s\n",
			d.name, d.d.Spells, survivalText(d.d.Observed), survivalText(d.d.Simulated))
	}
	fmt.Fprintf(w, "(%d simulated panels, seed %d)\n", h.Sims, h.Seed)
	return nil
}

func survivalText(s []float64) string {
	return fmt.Sprintf("%.0f%% / %.0f%% / %.0f%% / %.0f%%", 100*s[1], 100*s[2], 100*s[5], 100*s[10])
}

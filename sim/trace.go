package sim

import (
	"encoding/json"
	"fmt"
)

// Path is the story of one run, month by month (months 0..H): what the
// run's aggregates and records sum up. Trace makes it.
type Path struct {
	Horizon       int                `json:"horizon_months"`
	Countries     []CountryPath      `json:"countries"`
	Interventions []InterventionPath `json:"interventions"`
	// Records are the run's per-country outcomes, equal to the rows of
	// that run index that Options.Records receives (and runs.csv holds).
	Records []CountryRecord `json:"records"`
}

// CountryPath is one country's months in a run, indexed 0..H.
type CountryPath struct {
	ID string `json:"id"`
	// Tension is the tension at the end of each month (nil under Markov
	// dynamics).
	Tension []float64 `json:"tension"`
	Stage   []Stage   `json:"stage"`
	// Shock is the sum of the sizes of the random shocks arriving in the
	// month, before monitoring's deterrence scales them.
	Shock []float64 `json:"shock"`
	// Event is the sum of the sizes of the scheduled events of the month,
	// before deterrence.
	Event []float64 `json:"event"`
	// RuleOfLaw is the rule-of-law capacity R in the month.
	RuleOfLaw []float64 `json:"rule_of_law"`
}

// MarshalJSON writes the stages by name ("latent", "escalating", "war"):
// a slice of Stage, whose type is a byte, would otherwise be base64 text.
func (cp CountryPath) MarshalJSON() ([]byte, error) {
	type plain CountryPath // without this method
	names := make([]string, len(cp.Stage))
	for m, st := range cp.Stage {
		names[m] = st.String()
	}
	return json.Marshal(struct {
		plain
		Stage []string `json:"stage"`
	}{plain(cp), names})
}

// InterventionPath is one mission in a run.
type InterventionPath struct {
	ID        string `json:"id"`
	Consented bool   `json:"consented"`
	// Launched says whether it was launched in months 0..H, in month
	// LaunchMonth (-1 if not).
	Launched    bool `json:"launched"`
	LaunchMonth int  `json:"launch_month"`
	// It acted in months From..To of 1..H; From > To if in none.
	From int `json:"from"`
	To   int `json:"to"`
	// Staff is the staff acting by month, 0 in months it does not act.
	Staff []float64 `json:"staff"`
}

// Trace runs run index run of sc with the given seed and streams (0 means
// StreamsV1) and returns its path: the run that Run, Compare and the
// records give for that index, by the same engine code, recorded month by
// month. Months 0..M of a path depend only on the scenario's decisions
// that take effect in months up to M: a staff change or an end from month
// M+1 leaves them as they are.
func Trace(sc *Scenario, seed uint64, run int64, streams Streams) (*Path, error) {
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("sim: invalid scenario %q: %w", sc.Name, err)
	}
	if streams == 0 {
		streams = StreamsV1
	}
	if streams != StreamsV1 && streams != StreamsV2 {
		return nil, fmt.Errorf("sim: unknown stream version %d", streams)
	}
	if run < 0 || run >= MaxRuns {
		return nil, fmt.Errorf("sim: run index %d out of range 0..2^53-1", run)
	}
	p := compile(sc)
	s := newRunState(p)
	s.spec.streams = streams
	h := p.h
	h1 := h + 1
	path := &Path{Horizon: h}
	path.Countries = make([]CountryPath, len(p.countries))
	for c := range path.Countries {
		cp := &path.Countries[c]
		cp.ID = sc.Countries[c].ID
		if p.dynamics == Tension {
			cp.Tension = make([]float64, h1)
		}
		cp.Stage = make([]Stage, h1)
		cp.Shock = make([]float64, h1)
		cp.Event = make([]float64, h1)
		cp.RuleOfLaw = make([]float64, h1)
	}
	d := s.own
	s.onMonth = func(m int) {
		for c := range path.Countries {
			cp := &path.Countries[c]
			if cp.Tension != nil {
				cp.Tension[m] = s.x[c]
				if m > 0 {
					cp.Shock[m] = d.push[c*h1+m]
				}
			}
			if ev := p.countries[c].events; ev != nil {
				cp.Event[m] = ev[m].up + ev[m].down
			}
			cp.Stage[m] = s.stage[c]
			cp.RuleOfLaw[m] = s.rol[c]
		}
	}
	res := NewResult(sc)
	s.run(seed, run, res)

	path.Interventions = make([]InterventionPath, len(p.ivs))
	for i := range p.ivs {
		ip := &path.Interventions[i]
		ip.ID = sc.Interventions[i].ID
		ip.Consented = s.consented[i]
		ip.LaunchMonth = -1
		if s.launched[i] && s.launch[i] <= h {
			ip.Launched, ip.LaunchMonth = true, s.launch[i]
		}
		ip.From, ip.To = 0, -1
		if s.activeN[i] > 0 {
			ip.From, ip.To = max(s.from[i], 1), min(s.to[i], h)
		}
		ip.Staff = make([]float64, h1)
		spans := p.ivs[i].spans
		for m := ip.From; m <= ip.To; m++ {
			ip.Staff[m] = spans[spanAt(spans, m)].staff
		}
	}
	path.Records = s.appendRecords(nil, 0, run)
	return path, nil
}

package serve

import (
	"fmt"
	"strings"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// Description is a scenario as the page shows it: in words, with the values
// its controls start from.
type Description struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Source      string     `json:"source"` // the TOML text
	Horizon     int        `json:"horizon_months"`
	Runs        int64      `json:"runs"`
	Seed        uint64     `json:"seed"`
	Dynamics    string     `json:"dynamics"`
	Countries   []Country  `json:"countries"`
	Missions    []Mission  `json:"missions"`
	Strategies  []Strategy `json:"strategies"`
}

// Country is a country's key parameters.
type Country struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	InitialTension     float64 `json:"initial_tension"`
	StructuralPressure float64 `json:"structural_pressure"`
	Volatility         float64 `json:"volatility"`
	Reversion          float64 `json:"reversion"`
}

// Mission is an intervention's controls and a sentence about it.
type Mission struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Kind         string  `json:"kind"`
	Countries    string  `json:"countries"`
	Trigger      string  `json:"trigger"` // "none" or a stage
	StartMonth   int     `json:"start_month"`
	StartupDelay int     `json:"startup_delay_months"`
	Staff        float64 `json:"staff"`
	Consent      float64 `json:"consent"`
	Expertise    float64 `json:"expertise"`
	Words        string  `json:"words"`
}

// Strategy is a [strategy.NAME] table with the missions it keeps, as the
// controls show them under it.
type Strategy struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Missions    []Mission `json:"missions"` // every mission of the file; Off when switched off
	Off         []string  `json:"off"`
}

func describe(f *scenarios.File) (*Description, error) {
	sc, err := f.Scenario()
	if err != nil {
		return nil, err
	}
	d := &Description{
		Name: f.Name, Title: sc.Title, Description: strings.TrimSpace(sc.Description), Source: string(f.Data),
		Horizon: sc.Horizon, Runs: sc.Runs, Seed: sc.Seed, Dynamics: sc.Model.Dynamics.String(),
		Missions: missions(sc, sc),
	}
	for _, c := range sc.Countries {
		d.Countries = append(d.Countries, Country{c.ID, c.Name, c.InitialTension, c.StructuralPressure, c.Volatility, c.Reversion})
	}
	for _, st := range f.Strategies {
		ssc, err := f.Strategy(st.ID)
		if err != nil {
			return nil, err
		}
		s := Strategy{ID: st.ID, Name: st.Name, Description: st.Description, Missions: missions(sc, ssc), Off: []string{}}
		for _, iv := range sc.Interventions {
			if !hasMission(ssc, iv.ID) {
				s.Off = append(s.Off, iv.ID)
			}
		}
		d.Strategies = append(d.Strategies, s)
	}
	return d, nil
}

func hasMission(sc *sim.Scenario, id string) bool {
	for _, iv := range sc.Interventions {
		if iv.ID == id {
			return true
		}
	}
	return false
}

// missions describes the missions of base with the values they have in sc
// (a strategy of it); those sc switched off keep base's values.
func missions(base, sc *sim.Scenario) []Mission {
	var out []Mission
	for _, b := range base.Interventions {
		iv := b
		for _, x := range sc.Interventions {
			if x.ID == b.ID {
				iv = x
			}
		}
		var names []string
		for _, c := range iv.Countries {
			names = append(names, sc.Countries[c].Name)
		}
		m := Mission{
			ID: iv.ID, Name: iv.Name, Kind: iv.Kind.String(), Countries: strings.Join(names, ", "),
			Trigger: "none", StartMonth: iv.StartMonth, StartupDelay: iv.StartupDelay,
			Staff: iv.Staff, Consent: iv.Consent, Expertise: iv.Expertise,
		}
		launch := fmt.Sprintf("launched in month %d", iv.StartMonth)
		if iv.Triggered {
			m.Trigger = iv.Trigger.String()
			launch = "launched when " + iv.Trigger.String() + " is detected"
		}
		delay := "no start-up delay"
		switch {
		case iv.StartupDelay == 1:
			delay = "1 month's start-up delay"
		case iv.StartupDelay > 1:
			delay = fmt.Sprintf("%d months' start-up delay", iv.StartupDelay)
		}
		m.Words = fmt.Sprintf("%s in %s: %g staff, %s, %s; consent %.0f%%, expertise %.0f%%.",
			kindWords(iv.Kind), m.Countries, iv.Staff, launch, delay, 100*iv.Consent, 100*iv.Expertise)
		out = append(out, m)
	}
	return out
}

func kindWords(k sim.Kind) string {
	switch k {
	case sim.Mediation:
		return "Mediation"
	case sim.RuleOfLaw:
		return "Rule of law"
	case sim.Monitoring:
		return "Monitoring"
	}
	return k.String()
}

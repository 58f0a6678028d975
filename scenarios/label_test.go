package scenarios

import (
	"strings"
	"testing"
)

func TestLabel(t *testing.T) {
	f, err := Parse("labels.toml", []byte(`
title = "Labels"
horizon_months = 24
[model]
hysteresis = 0.05
[country.guinea]
name = "Guinea"
initial_tension = 0.5
structural_pressure = 0.5
spillover = { sl = 0.02 }
[country.guinea.shock.army]
rate_per_year = 1
mean_size = 0.1
[country.sl]
initial_tension = 0.3
structural_pressure = 0.3
[intervention.unowa]
name = "UNOWA good offices"
kind = "mediation"
country = "guinea"
staff = 10
`))
	if err != nil {
		t.Fatal(err)
	}
	for i, test := range []struct {
		path, label, value string
	}{
		{"intervention.unowa.startup_delay_months", "UNOWA good offices: start-up delay (months)", "start-up delay 6 mo"},
		{"intervention.unowa.staff", "UNOWA good offices: staff (people)", "staff 6"},
		{"intervention.unowa.staff_from.13", "UNOWA good offices: staff from month 13 (people)", "staff from month 13: 6"},
		{"intervention.unowa.end_month", "UNOWA good offices: end month (month)", "end month 6"},
		{"intervention.unowa.cost_per_staff_month", "UNOWA good offices: cost per staff-month (USD)", "cost per staff-month $6"},
		{"intervention.unowa.effect.war", "UNOWA good offices: effect (war)", "effect (war) 6"},
		{"model.war_threshold", "war threshold (tension)", "war threshold 6"},
		{"horizon_months", "horizon (months)", "horizon 6 mo"},
		{"country.guinea.volatility", "Guinea: volatility (tension per month)", "volatility 6"},
		{"country.guinea.spillover.sl", "Guinea: spillover from sl (tension per month)", "spillover from sl 6"},
		{"country.sl.structural_pressure", "sl: structural pressure (tension)", "structural pressure 6"},
		{"country.guinea.shock.army.rate_per_year", "Guinea, shock army: rate (events per year)", "rate 6"},
	} {
		l, err := f.Label(test.path)
		if err != nil {
			t.Errorf("%d: %s: %v", i, test.path, err)
			continue
		}
		if l.String() != test.label || l.Value("6") != test.value {
			t.Errorf("%d: %s: label %q, value %q; want %q, %q", i, test.path, l, l.Value("6"), test.label, test.value)
		}
	}
	for _, bad := range []string{"intervention.ghost.staff", "model.nope", "country.guinea", "strategy.x.name", "a..b"} {
		if _, err := f.Label(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// Markov transitions read as probabilities.
func TestLabelMarkov(t *testing.T) {
	f, err := Open("global-baseline")
	if err != nil {
		t.Fatal(err)
	}
	l, err := f.Label("model.transitions.escalating.war")
	if err != nil || l.String() != "P(escalating → war) per step" {
		t.Errorf("label %q, %v", l, err)
	}
	if _, err := f.Label("model.transitions.escalating.peace"); err == nil || !strings.Contains(err.Error(), "peace") {
		t.Errorf("bad stage: %v", err)
	}
}

package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// FuzzParse feeds arbitrary bytes to the loader. It must never panic; a
// file it accepts must validate, run, and give every strategy a scenario.
// The seed corpus (the shipped scenarios and testdata) runs in go test;
// fuzz with: go test ./scenarios -run '^$' -fuzz FuzzParse -fuzztime 10m
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("*.toml")
	more, _ := filepath.Glob("testdata/*.toml")
	bad, _ := filepath.Glob("testdata/bad/*.toml")
	more = append(more, bad...)
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("horizon_months = 3\n[country.a]\ninitial_tension = 0.5\nstructural_pressure = 0.5\n"))
	f.Add([]byte("[model]\ndynamics = \"markov\"\n[model.transitions]\nlatent = {latent = 1}\n"))
	f.Add([]byte("horizon_months = 12\n[country.a]\ninitial_tension = 0.5\nstructural_pressure = 0.5\n" +
		"[intervention.m]\nkind = \"mediation\"\ncountry = \"a\"\nstaff = 5\nend_month = 9\nstaff_from = { 3 = 10, 6 = 0 }\n" +
		"[strategy.s]\nset = { \"intervention.m.staff_from.4\" = 2, \"intervention.m.end_month\" = 13 }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.toml", data)
		if err != nil {
			es := AsErrors(err)
			if len(es) == 0 {
				t.Fatalf("error is not a scenario error: %T %v", err, err)
			}
			for _, e := range es {
				if e.File != "fuzz.toml" || e.Msg == "" {
					t.Fatalf("error without file or message: %+v", e)
				}
			}
			return
		}
		sc, err := file.Scenario()
		if err != nil {
			t.Fatalf("Parse accepted a file whose scenario fails: %v", err)
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("accepted scenario does not validate: %v", err)
		}
		// Keep each input quick: a few runs over at most 120 months.
		if sc.Horizon > 120 {
			return
		}
		if _, err := sim.Run(context.Background(), sc, sim.Options{Runs: 3, Seed: 1, Workers: 1}); err != nil {
			t.Fatalf("run: %v", err)
		}
		for _, st := range file.Strategies {
			if _, err := file.Strategy(st.ID); err != nil {
				t.Fatalf("strategy %s: %v", st.ID, err)
			}
		}
	})
}

// FuzzOverride feeds arbitrary --set arguments to the parser and applies
// them to a scenario: errors are fine, panics are not.
func FuzzOverride(f *testing.F) {
	for _, s := range []string{
		"intervention.envoy.staff=30", "country.alpha.momentum.war=0.1", "model.dynamics=markov",
		"intervention.region.effect={war=0.5}", "horizon_months=12", "country.alpha.spillover.beta=0.9",
		"strategy.none.disable=[]", "a=b=c", "=", "intervention.envoy.trigger=none",
		"country.alpha.event.vote.month=99", `title="x"`, "intervention.envoy.countries=[\"beta\"]",
		"intervention.envoy.staff_from.9=20", "intervention.envoy.staff_from={3=0, 10=5}", "intervention.envoy.staff_from.0=1",
		"intervention.envoy.staff_from.x=1", "intervention.envoy.end_month=7", "intervention.envoy.end_month=-1",
		"intervention.envoy.staff_from.0009=1", "intervention.envoy.staff_from={}",
	} {
		f.Add(s)
	}
	data, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		f.Fatal(err)
	}
	file, err := Parse("testdata/minimal.toml", data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOverride(s)
		if err != nil {
			if !strings.Contains(err.Error(), "--set") {
				t.Fatalf("error does not name --set: %v", err)
			}
			return
		}
		if sc, err := file.Scenario(o); err == nil {
			if err := sc.Validate(); err != nil {
				t.Fatalf("override gave an invalid scenario: %v", err)
			}
		}
	})
}

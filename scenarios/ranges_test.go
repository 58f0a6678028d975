package scenarios

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

const markovFixture = `horizon_months = 1200
[model]
dynamics = "markov"
[model.transitions]
latent     = { latent = 0.9, escalating = 0.1 }
escalating = { latent = 0.5, escalating = 0.5 }
war        = { war = 1 }
[country.a]
initial_stage = "latent"
`

// The key table's ranges are the ones sim.Validate enforces: at each end of
// every numeric key's range and just past it, a scenario decoded with the
// table's range checks is accepted exactly when the same scenario decoded
// without them passes sim.Validate (and the decoder's checks that relate
// keys). A bound that differs (staff_scale's minimum was 1e-6 in the table
// and 1e-9 in sim) fails here.
func TestRangesAgreeWithSim(t *testing.T) {
	tension, err := Parse("testdata/minimal.toml", []byte(strings.Replace(string(minimal(t)), "horizon_months = 24", "horizon_months = 1200", 1)))
	if err != nil {
		t.Fatal(err)
	}
	markov, err := Parse("markov.toml", []byte(markovFixture))
	if err != nil {
		t.Fatal(err)
	}
	// Each table's keys are tried at one entity of a fixture, on a
	// horizon of the longest allowed, so that months may reach it.
	at := []struct {
		spec   *table
		file   *File
		prefix string
	}{
		{topTable, tension, ""},
		{modelTable, tension, "model"},
		{modelTable, markov, "model"},
		{transitionsTable, markov, "model.transitions"},
		{countryTable, tension, "country.alpha"},
		{shockTable, tension, "country.alpha.shock.riots"},
		{eventTable, tension, "country.alpha.event.vote"},
		{interventionTable, tension, "intervention.envoy"},
	}
	// Bounds that depend on other keys (checked with their own messages
	// by the decoder and by sim.Validate alike) are not reachable with
	// the fixture's other values; in-range values there may be refused.
	crossField := map[string]bool{
		"model.escalation_threshold=1": true, // war_threshold must exceed it
		"model.escalation_threshold=0": true, // hysteresis (0.05) must not exceed it
		"model.war_threshold=0":        true, // must exceed escalation_threshold
		"model.hysteresis=1":           true, // at most escalation_threshold
	}
	tried := 0
	for _, a := range at {
		for _, f := range a.spec.fields {
			if f.kind != kFloat && f.kind != kInt && f.kind != kStageMap && f.kind != kWeightMap {
				continue
			}
			if !allowed(f.only, dynamicsOf(a.file)) {
				continue
			}
			path := strings.TrimPrefix(a.prefix+"."+f.key, ".")
			switch f.kind {
			case kStageMap:
				path += ".war"
				if a.spec == transitionsTable {
					path = strings.TrimSuffix(path, ".war") + ".latent"
				}
			case kWeightMap:
				path += ".beta"
			}
			if path == "seed" {
				// sim's seed is a uint64: every TOML integer it can
				// hold (0 and up) is one; the table says so.
				continue
			}
			type probe struct {
				value   any
				inRange bool
			}
			var probes []probe
			if f.kind == kInt {
				// In integers: 2^53 + 1 is no float64.
				lo, hi := intBound(f.min), intBound(f.max)
				below := lo - 1
				if path == "intervention.envoy.duration_months" {
					below = -1 // sim's 0 is the default, "to the horizon"
				}
				probes = []probe{{lo, true}, {hi, true}, {below, false}}
				if hi < math.MaxInt64 {
					probes = append(probes, probe{hi + 1, false})
				}
			} else {
				probes = []probe{{f.min, true}, {f.max, true},
					{math.Nextafter(f.min, math.Inf(-1)), false}, {math.Nextafter(f.max, math.Inf(1)), false}}
			}
			for _, v := range probes {
				value := v.value
				name := fmt.Sprintf("%s=%v", path, value)
				ovs := []Override{{Path: strings.Split(path, "."), Value: value, Origin: "test"}}
				if a.spec == transitionsTable {
					// The whole row, summing to 1, so that only the
					// range decides.
					ovs[0].Path = ovs[0].Path[:3]
					x := value.(float64)
					ovs[0].Value = map[string]any{"latent": x, "escalating": 1 - x}
				}
				_, checked := a.file.decodeWith(&decoder{}, ovs, nil)
				_, unchecked := a.file.decodeWith(&decoder{unranged: true}, ovs, nil)
				tried++
				if (checked == nil) != (unchecked == nil) {
					t.Errorf("%s: the key table says %v, sim.Validate says %v", name, errText(checked), errText(unchecked))
				}
				if v.inRange && checked != nil && !crossField[name] {
					t.Errorf("%s: the end of the documented range is refused: %v", name, checked)
				}
			}
		}
	}
	if tried < 100 {
		t.Errorf("only %d values tried", tried)
	}
}

func dynamicsOf(f *File) sim.Dynamics {
	if m, ok := f.tree["model"].(map[string]any); ok && m["dynamics"] == "markov" {
		return sim.Markov
	}
	return sim.Tension
}

func errText(err error) string {
	if err == nil {
		return "valid"
	}
	return err.Error()
}

// The decoder reads every key the table declares (and, since asking for an
// undeclared key panics, no other): a tension and a Markov scenario
// between them reach every table.
func TestDecoderReadsEveryKey(t *testing.T) {
	read := map[*field]bool{}
	for _, src := range []struct {
		name string
		data []byte
	}{{"minimal.toml", minimal(t)}, {"markov.toml", []byte(markovFixture)}} {
		f, err := Parse(src.name, src.data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.decodeWith(&decoder{read: read, withStrategies: true}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tb := range allTables {
		for i := range tb.fields {
			if !read[&tb.fields[i]] {
				t.Errorf("the decoder never reads %s.%s", tb.path, tb.fields[i].key)
			}
		}
	}
}

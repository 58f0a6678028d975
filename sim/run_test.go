package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// regional is a three-country scenario with shocks, events, spillover and
// every kind of mission, including a regional mandate and a trigger.
func regional() *Scenario {
	sc := guineaLike()
	sc.Countries[0].ID, sc.Countries[0].Name = "a", "A"
	b := sc.Countries[0]
	b.ID, b.Name, b.InitialTension = "b", "B", 0.3
	b.Spillover = []Spillover{{From: 0, Weight: 0.03}}
	c := b
	c.ID, c.Name, c.InitialTension = "c", "C", 0.2
	c.Spillover = []Spillover{{From: 1, Weight: 0.02}}
	sc.Countries = append(sc.Countries, b, c)
	med := mission("med", Mediation, 12)
	med.Countries = []int{0, 1, 2}
	med.StartupDelay = 2
	med.Consent = 0.8
	rol := mission("rol", RuleOfLaw, 8)
	rol.Countries = []int{2}
	mon := mission("mon", Monitoring, 15)
	mon.Triggered, mon.Trigger = true, Escalating
	mon.Countries = []int{1}
	sc.Interventions = []Intervention{med, rol, mon}
	return sc
}

func resultJSON(t testing.TB, r *Result) []byte {
	t.Helper()
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	for _, sc := range []*Scenario{regional(), markovScenario(ucdp, Escalating, 120, 12)} {
		want := resultJSON(t, mustRun(t, sc, 5000, 42, 1))
		for _, w := range []int{2, 3, 8} {
			if got := resultJSON(t, mustRun(t, sc, 5000, 42, w)); !bytes.Equal(got, want) {
				t.Errorf("%s: %d workers give different aggregates than 1", sc.Name, w)
			}
		}
		if got := resultJSON(t, mustRun(t, sc, 5000, 43, 2)); bytes.Equal(got, want) {
			t.Errorf("%s: seeds 42 and 43 give identical aggregates", sc.Name)
		}
	}
}

func TestMergedShardsEqualWhole(t *testing.T) {
	sc := regional()
	const runs = 3001
	whole := mustRun(t, sc, runs, 9, 2)
	for _, n := range []int64{2, 3, 7} {
		var merged *Result
		for i := range n {
			lo, hi := i*runs/n, (i+1)*runs/n
			part, err := Run(context.Background(), sc, Options{Seed: 9, FirstRun: lo, Runs: hi - lo, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if merged == nil {
				merged = part
			} else if err := merged.Merge(part); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(resultJSON(t, merged), resultJSON(t, whole)) {
			t.Errorf("%d shards merged differ from the whole", n)
		}
		a, _ := json.Marshal(Summarize(sc, merged, 9))
		b, _ := json.Marshal(Summarize(sc, whole, 9))
		if !bytes.Equal(a, b) {
			t.Errorf("%d shards: summaries differ", n)
		}
	}
}

func TestMergeRejectsOtherShapes(t *testing.T) {
	a := mustRun(t, regional(), 10, 1, 1)
	b := mustRun(t, guineaLike(), 10, 1, 1)
	if err := a.Merge(b); !errors.Is(err, errShape) {
		t.Errorf("merging results of different scenarios: err = %v", err)
	}
}

func TestRecordsArriveInRunOrder(t *testing.T) {
	sc := regional()
	const runs = 5000
	next := int64(0)
	var warRuns int64
	opt := Options{Seed: 3, Runs: runs, Workers: 8, Records: func(recs []CountryRecord) error {
		for _, r := range recs {
			if r.Run != next/3 || r.Country != int(next%3) {
				t.Fatalf("record %d: run %d country %d out of order", next, r.Run, r.Country)
			}
			if r.Country == 0 && r.EverWar {
				warRuns++
			}
			next++
		}
		return nil
	}}
	res, err := Run(context.Background(), sc, opt)
	if err != nil {
		t.Fatal(err)
	}
	if next != runs*3 {
		t.Fatalf("got %d records, want %d", next, runs*3)
	}
	if warRuns != res.Countries[0].EverWar {
		t.Errorf("records count %d runs at war, aggregates %d", warRuns, res.Countries[0].EverWar)
	}
}

func TestRecordsErrorStopsTheRun(t *testing.T) {
	boom := errors.New("disk full")
	_, err := Run(context.Background(), regional(), Options{Seed: 1, Runs: 100000, Workers: 2,
		Records: func([]CountryRecord) error { return boom }})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, regional(), Options{Seed: 1, Runs: 1_000_000}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// Compared with itself, a variant differs by exactly zero with a
// zero-width interval; run alone or beside others it gives the same
// aggregates (common random numbers keyed by identity).
func TestCompareSelfAndCRN(t *testing.T) {
	base := regional()
	more := regional()
	more.Interventions[0].Staff = 40
	cmp, err := Compare(context.Background(), []*Scenario{base, regional(), more}, Options{Seed: 5, Runs: 4000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	for u := range cmp.Paired[1] {
		p := cmp.Paired[1][u]
		d, lo, hi := p.PairedDiff()
		md, mlo, mhi := p.MonthsDiff()
		if d != 0 || lo != 0 || hi != 0 || md != 0 || mlo != 0 || mhi != 0 {
			t.Errorf("unit %d: self-comparison gives %g [%g, %g], months %g [%g, %g]", u, d, lo, hi, md, mlo, mhi)
		}
	}
	alone := mustRun(t, more, 4000, 5, 2)
	if !bytes.Equal(resultJSON(t, alone), resultJSON(t, cmp.Results[2])) {
		t.Error("a variant run alone differs from the same variant in a comparison")
	}
	// Removing a mission leaves every other stream alone: the consent
	// draws of the mediation are the same with or without the others.
	with := mustRun(t, regional(), 4000, 5, 2)
	without := regional()
	without.Interventions = without.Interventions[:1]
	if a, b := with.Interventions[0].Consented, mustRun(t, without, 4000, 5, 2).Interventions[0].Consented; a != b || a == 4000 {
		t.Errorf("mediation consented in %d runs with the other missions, %d without", a, b)
	}
}

// Paired intervals are narrower than unpaired ones when the variants are
// strongly correlated, as they are under common random numbers.
func TestPairedNarrowerThanIndependent(t *testing.T) {
	base := guineaLike()
	med := guineaLike()
	med.Interventions = []Intervention{mission("med", Mediation, 2)}
	cmp, err := Compare(context.Background(), []*Scenario{base, med}, Options{Seed: 8, Runs: 20000})
	if err != nil {
		t.Fatal(err)
	}
	p := cmp.Paired[1][0]
	paired, independent := p.PairedVariance()
	if !(paired > 0 && paired < independent/2) {
		t.Errorf("paired variance %g, independent %g: want paired well below", paired, independent)
	}
	d, lo, hi := p.PairedDiff()
	if !(d < 0 && hi < 0 && lo < d) {
		t.Errorf("mediation difference %g [%g, %g], want clearly negative", d, lo, hi)
	}
}

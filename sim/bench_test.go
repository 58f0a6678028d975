package sim

import (
	"context"
	"testing"
)

// benchScenarios are the engine's benchmark cases: one country with shocks
// and an event, with and without missions, the regional case, and the
// markov chain with monthly steps.
func benchScenarios() []struct {
	name string
	sc   *Scenario
} {
	withMissions := guineaLike()
	med := mission("med", Mediation, 12)
	med.StartupDelay = 1
	mon := mission("mon", Monitoring, 10)
	mon.Triggered, mon.Trigger = true, Escalating
	withMissions.Interventions = []Intervention{med, mon}
	markov := markovScenario(ucdp, Latent, 36, 1)
	markovMissions := markovScenario(ucdp, Escalating, 36, 1)
	markovMissions.Interventions = []Intervention{mission("med", Mediation, 12)}
	return []struct {
		name string
		sc   *Scenario
	}{
		{"tension", guineaLike()},
		{"tension-missions", withMissions},
		{"regional3", regional()},
		{"markov", markov},
		{"markov-missions", markovMissions},
	}
}

// BenchmarkRun measures one run on one goroutine, reported per run and per
// country-month (the unit that grows with scenario size).
func BenchmarkRun(b *testing.B) {
	for _, bc := range benchScenarios() {
		b.Run(bc.name, func(b *testing.B) {
			p := compile(bc.sc)
			s := newRunState(p)
			res := NewResult(bc.sc)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s.run(1, int64(i), res)
			}
			cm := float64(b.N) * float64(len(bc.sc.Countries)*bc.sc.Horizon)
			b.ReportMetric(b.Elapsed().Seconds()*1e9/cm, "ns/country-month")
		})
	}
}

// BenchmarkParallel measures whole simulations of 100,000 runs with the
// default number of workers, the way the command line runs them.
func BenchmarkParallel(b *testing.B) {
	for _, bc := range benchScenarios()[:2] {
		b.Run(bc.name, func(b *testing.B) {
			const runs = 100_000
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Run(context.Background(), bc.sc, Options{Seed: 1, Runs: runs}); err != nil {
					b.Fatal(err)
				}
			}
			cm := float64(b.N) * runs * float64(len(bc.sc.Countries)*bc.sc.Horizon)
			b.ReportMetric(cm/b.Elapsed().Seconds(), "country-months/s")
		})
	}
}

// The hot loop allocates nothing per run.
func TestRunAllocatesNothing(t *testing.T) {
	for _, bc := range benchScenarios() {
		p := compile(bc.sc)
		s := newRunState(p)
		res := NewResult(bc.sc)
		run := int64(0)
		if a := testing.AllocsPerRun(200, func() { s.run(1, run, res); run++ }); a != 0 {
			t.Errorf("%s: %g allocations per run", bc.name, a)
		}
	}
}

// A worker stepping several variants on shared draws allocates nothing per
// run either, pairing and flushing its tallies included.
func TestChunkAllocatesNothing(t *testing.T) {
	for _, bc := range benchScenarios() {
		a, b := *bc.sc, *bc.sc
		b.Countries = append([]Country(nil), b.Countries...)
		b.Countries[0].Volatility = 0.07
		vs := []*Scenario{bc.sc, &a, &b}
		var programs []*program
		for _, sc := range vs {
			programs = append(programs, compile(sc))
		}
		w := newWorker(programs, StreamsV2)
		out := newComparison(vs)
		run := int64(0)
		if n := testing.AllocsPerRun(50, func() { w.chunk(1, run, run+3, out, true); run += 3 }); n != 0 {
			t.Errorf("%s: %g allocations per chunk", bc.name, n)
		}
	}
}

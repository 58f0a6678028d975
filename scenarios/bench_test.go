package scenarios_test

import (
	"context"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// BenchmarkShipped runs each shipped scenario (as written, with its
// missions) on one worker: the number to compare across changes to the
// engine, in ns per country-month.
//
//	go test ./scenarios -run '^$' -bench Shipped -count 10 > new.txt
//	benchstat old.txt new.txt
func BenchmarkShipped(b *testing.B) {
	infos, err := scenarios.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	for _, info := range infos {
		f, err := scenarios.Open(info.Name)
		if err != nil {
			b.Fatal(err)
		}
		sc, err := f.Scenario()
		if err != nil {
			b.Fatal(err)
		}
		b.Run(info.Name, func(b *testing.B) {
			const runs = 20000
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := sim.Run(context.Background(), sc, sim.Options{Seed: 1, Runs: runs, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
			cm := float64(b.N) * runs * float64(sc.Horizon*len(sc.Countries))
			b.ReportMetric(b.Elapsed().Seconds()*1e9/cm, "ns/country-month")
		})
	}
}

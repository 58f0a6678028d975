//go:build unix

package sim_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// cpuTime returns the CPU time (user + system) the process has used. The
// benchmarks below report CPU time rather than wall time: the machines
// they run on are shared, and wall figures for the same code varied
// fourfold under load, while CPU time of a single-goroutine loop does not.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchRuns is the number of runs per benchmark iteration: enough that
// setting up a simulation costs nothing against it.
const benchRuns = 2048

// measure runs f b.N times and reports its CPU time per country-month of
// one run of sc: for a comparison or sweep, the figure divided by one
// run's is the cost in runs.
func measure(b *testing.B, sc *sim.Scenario, f func() error) {
	b.ReportAllocs()
	b.ResetTimer()
	t0 := cpuTime(b)
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime(b) - t0
	cm := float64(b.N) * benchRuns * float64(len(sc.Countries)*sc.Horizon)
	b.ReportMetric(float64(cpu.Nanoseconds())/cm, "cpu-ns/country-month")
	b.ReportMetric(0, "ns/op") // wall time is not the measure here
}

func openShipped(b *testing.B, name string) *scenarios.File {
	f, err := scenarios.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkShipped measures every shipped scenario as written, on one
// worker, with stream version 1; BenchmarkShippedV2 with version 2.
func BenchmarkShipped(b *testing.B)   { benchShipped(b, sim.StreamsV1) }
func BenchmarkShippedV2(b *testing.B) { benchShipped(b, sim.StreamsV2) }

func benchShipped(b *testing.B, streams sim.Streams) {
	infos, err := scenarios.Shipped()
	if err != nil {
		b.Fatal(err)
	}
	for _, info := range infos {
		b.Run(info.Name, func(b *testing.B) {
			sc, err := openShipped(b, info.Name).Scenario()
			if err != nil {
				b.Fatal(err)
			}
			measure(b, sc, func() error {
				_, err := sim.Run(context.Background(), sc, sim.Options{Seed: 1, Runs: benchRuns, Workers: 1, Streams: streams})
				return err
			})
		})
	}
}

// BenchmarkCompare measures a comparison of all the strategies of
// guinea-2009 (K = 4) and of central-asia (K = 5, several countries and a
// regional mandate) on one worker, per country-month of one run: the
// figure over BenchmarkShipped's for the scenario is the cost of the
// comparison in runs.
func BenchmarkCompare(b *testing.B) {
	for _, name := range []string{"guinea-2009", "central-asia"} {
		f := openShipped(b, name)
		var vs []*sim.Scenario
		for _, st := range f.Strategies {
			sc, err := f.Strategy(st.ID)
			if err != nil {
				b.Fatal(err)
			}
			vs = append(vs, sc)
		}
		b.Run(fmt.Sprintf("%s-K%d", name, len(vs)), func(b *testing.B) {
			measure(b, vs[0], func() error {
				_, err := sim.Compare(context.Background(), vs, sim.Options{Seed: 1, Runs: benchRuns, Workers: 1})
				return err
			})
		})
	}
}

// BenchmarkSweep measures a sweep of P = 13 points (UNOWA staff 0, 5, ...,
// 60 in guinea-2009) on one worker, per country-month of one run.
func BenchmarkSweep(b *testing.B) {
	f := openShipped(b, "guinea-2009")
	var pts []*sim.Scenario
	for staff := 0; staff <= 60; staff += 5 {
		o, err := scenarios.ParseOverride(fmt.Sprintf("intervention.unowa.staff=%d", staff))
		if err != nil {
			b.Fatal(err)
		}
		sc, err := f.Scenario(o)
		if err != nil {
			b.Fatal(err)
		}
		pts = append(pts, sc)
	}
	b.Run(fmt.Sprintf("guinea-2009-P%d", len(pts)), func(b *testing.B) {
		measure(b, pts[0], func() error {
			return sweep(pts)
		})
	})
}

// sweep runs every point of a sweep together, on shared draws.
func sweep(pts []*sim.Scenario) error {
	_, err := sim.RunMany(context.Background(), pts, sim.Options{Seed: 1, Runs: benchRuns, Workers: 1})
	return err
}

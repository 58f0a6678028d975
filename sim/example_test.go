package sim_test

import (
	"context"
	"fmt"

	"github.com/escalate-sim/escalate/sim"
)

// A one-country scenario built by hand: tension starts escalating and
// drifts toward war; a mediation mission starts at once.
func example() *sim.Scenario {
	return &sim.Scenario{
		Name: "example", Title: "Example", Horizon: 24, Runs: 10000, Seed: 1,
		Model: sim.Model{
			Dynamics:            sim.Tension,
			EscalationThreshold: 0.4, WarThreshold: 0.75, Hysteresis: 0.05,
			DetectionLag: 2, RuleOfLawDecay: 0.02, MonthsPerStep: 1,
		},
		Countries: []sim.Country{{
			ID: "a", Name: "A", InitialTension: 0.5,
			StructuralPressure: 0.7, Reversion: 0.1, Volatility: 0.05,
		}},
		Interventions: []sim.Intervention{{
			ID: "envoy", Name: "Envoy", Kind: sim.Mediation, Countries: []int{0},
			Staff: 10, StaffScale: 10, Expertise: 1, Consent: 1,
			CostPerStaffMonth: 13800,
			Effect:            sim.DefaultEffect(sim.Mediation, sim.Tension),
		}},
	}
}

func ExampleRun() {
	sc := example()
	res, err := sim.Run(context.Background(), sc, sim.Options{Seed: 1, Runs: 10000})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := sim.Summarize(sc, res, 1)
	c := s.Countries[0]
	fmt.Printf("P(war) %.3f [%.3f, %.3f], mean cost $%.0f\n", c.PWar, c.PWarCI95[0], c.PWarCI95[1], s.Cost.Mean)
	// Output:
	// P(war) 0.103 [0.097, 0.109], mean cost $3312000
}

// Two variants on the same seed: the difference in P(war) is paired run
// by run, so its interval is narrow.
func ExampleCompare() {
	with := example()
	without := example()
	without.Interventions = nil
	cmp, err := sim.Compare(context.Background(), []*sim.Scenario{without, with}, sim.Options{Seed: 1, Runs: 10000})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, lo, hi := cmp.Paired[1][0].PairedDiff()
	fmt.Printf("mission changes P(war) by %+.3f [%+.3f, %+.3f]\n", d, lo, hi)
	// Output:
	// mission changes P(war) by -0.524 [-0.534, -0.514]
}

// Results of disjoint run ranges merge into exactly the whole.
func ExampleResult_Merge() {
	sc := example()
	first, _ := sim.Run(context.Background(), sc, sim.Options{Seed: 1, FirstRun: 0, Runs: 5000})
	second, _ := sim.Run(context.Background(), sc, sim.Options{Seed: 1, FirstRun: 5000, Runs: 5000})
	if err := first.Merge(second); err != nil {
		fmt.Println(err)
		return
	}
	whole, _ := sim.Run(context.Background(), sc, sim.Options{Seed: 1, Runs: 10000})
	fmt.Println(first.Runs, first.Countries[0].EverWar == whole.Countries[0].EverWar)
	// Output:
	// 10000 true
}

func ExampleStageOf() {
	// Tension 0.72 is below the war threshold 0.75, but a country already
	// at war stays there down to 0.75 - 0.05.
	fmt.Println(sim.StageOf(0.72, sim.Escalating, 0.4, 0.75, 0.05))
	fmt.Println(sim.StageOf(0.72, sim.War, 0.4, 0.75, 0.05))
	// Output:
	// escalating
	// war
}

func ExampleWilson() {
	lo, hi := sim.Wilson(0, 100)
	fmt.Printf("no war in 100 runs: P(war) in [%.3f, %.3f]\n", lo, hi)
	// Output:
	// no war in 100 runs: P(war) in [0.000, 0.037]
}

// A sweep of the envoy's staff: RunMany runs the points together, each
// run's noise drawn once for all of them, with the results Run would give
// each point alone.
func ExampleRunMany() {
	var points []*sim.Scenario
	for _, staff := range []float64{0, 10, 40} {
		sc := example()
		sc.Interventions[0].Staff = staff
		points = append(points, sc)
	}
	res, err := sim.RunMany(context.Background(), points, sim.Options{Seed: 1, Runs: 10000})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, r := range res {
		fmt.Printf("staff %2.0f: P(war) %.3f\n", points[k].Interventions[0].Staff, float64(r.Countries[0].EverWar)/float64(r.Runs))
	}
	// Output:
	// staff  0: P(war) 0.627
	// staff 10: P(war) 0.103
	// staff 40: P(war) 0.017
}

// One run's story with timed decisions: the envoy's team grows to 20 from
// month 7 and the mission ends after month 18 (end_month 19). Months
// before 7 are those of the run without the decisions.
func ExampleTrace() {
	sc := example()
	sc.Interventions[0].StaffFrom = []sim.StaffChange{{Month: 7, Staff: 20}}
	sc.Interventions[0].EndMonth = 19
	p, err := sim.Trace(sc, 1, 42, sim.StreamsV1)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, envoy := p.Countries[0], p.Interventions[0]
	for _, m := range []int{0, 6, 7, 12, 18, 19, 24} {
		fmt.Printf("month %2d: tension %.3f %-10s envoy staff %2.0f\n", m, a.Tension[m], a.Stage[m], envoy.Staff[m])
	}
	fmt.Printf("acted in months %d..%d; cost $%.0f\n", envoy.From, envoy.To, p.Records[0].Cost)
	// Output:
	// month  0: tension 0.500 escalating envoy staff  0
	// month  6: tension 0.487 escalating envoy staff 10
	// month  7: tension 0.546 escalating envoy staff 20
	// month 12: tension 0.558 escalating envoy staff 20
	// month 18: tension 0.479 escalating envoy staff 20
	// month 19: tension 0.440 escalating envoy staff  0
	// month 24: tension 0.562 escalating envoy staff  0
	// acted in months 1..18; cost $4140000
}

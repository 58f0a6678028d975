package study_test

import (
	"context"
	"fmt"

	"github.com/escalate-sim/escalate/explore/study"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
)

// Explore guinea-2009 over an uncertain volatility: every strategy at each
// of 8 futures, ranked by mean P(war) across them.
func ExampleStudy_Run() {
	f, _ := scenarios.Open("guinea-2009")
	u, _ := scenarios.ParseUncertain("country.guinea.volatility=uniform:0.03:0.09")
	us, _ := f.WithUncertain(u)
	st, err := study.New(study.Config{File: f, Uncertain: us, Design: "lhs", Samples: 8, Runs: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := st.Run(context.Background(), nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Robustness {
		fmt.Printf("%d %-10s mean P(war) %.2f, worst regret %.2f\n", r.Rank, r.Strategy, r.PWarMean, r.RegretMax)
	}
	// Output:
	// 1 staff      mean P(war) 0.10, worst regret 0.00
	// 2 fast       mean P(war) 0.17, worst regret 0.12
	// 3 historical mean P(war) 0.19, worst regret 0.13
	// 4 none       mean P(war) 0.45, worst regret 0.42
}

// Split a study into two shards of its points, as explore --shard does on
// two machines, and summarise them in order: the report is one process's.
func ExampleSummary() {
	f, _ := scenarios.Open("guinea-2009")
	u, _ := scenarios.ParseUncertain("country.guinea.volatility=uniform:0.03:0.09")
	us, _ := f.WithUncertain(u)
	st, _ := study.New(study.Config{File: f, Uncertain: us, Design: "lhs", Samples: 8, Runs: 200, Seed: 1})
	j, _ := study.NewJob("guinea-2009", st)
	sum := st.NewSummary()
	for i := range int64(2) {
		j.Shard = &resultfile.Shard{Index: i, Count: 2}
		lo, hi := j.Span(len(st.Points))
		fmt.Printf("shard %d/2: points %d to %d\n", i, lo+1, hi)
		if err := st.RunPoints(context.Background(), lo, hi, sum.Add, nil); err != nil {
			fmt.Println(err)
			return
		}
	}
	rep, _ := sum.Report()
	fmt.Printf("best: %s, mean P(war) %.2f\n", rep.Robustness[0].Strategy, rep.Robustness[0].PWarMean)
	// Output:
	// shard 0/2: points 1 to 4
	// shard 1/2: points 5 to 8
	// best: staff, mean P(war) 0.10
}

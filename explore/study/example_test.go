package study_test

import (
	"context"
	"fmt"

	"github.com/escalate-sim/escalate/explore/study"
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

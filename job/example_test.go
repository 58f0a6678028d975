package job_test

import (
	"context"
	"fmt"
	"os"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// A paired comparison of two strategies of a shipped scenario, in batches
// of 500 runs, watching the interval of the difference narrow.
func ExampleExecute() {
	j := job.Job{
		Spec:  job.Spec{Kind: job.Compare, Sources: []string{"guinea-2009"}, Strategies: []string{"none", "historical"}, Runs: 2000},
		Batch: 500,
	}
	res, err := job.Execute(context.Background(), j, func(p job.Progress) {
		if p.Partial != nil {
			ci := p.Partial.Comparison.Strategies[1].VsBaseline.PWarDiffCI95
			fmt.Printf("after %4d runs: interval %.3f wide\n", p.Partial.Runs, ci[1]-ci[0])
		}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Comparison.Provenance.Command)
	// Output:
	// after  500 runs: interval 0.078 wide
	// after 1000 runs: interval 0.055 wide
	// after 1500 runs: interval 0.046 wide
	// after 2000 runs: interval 0.040 wide
	// escalate compare guinea-2009 --runs 2000 --seed 20091228 --strategies none,historical
}

// The job a result records runs again from the file alone.
func ExampleFromRecipe() {
	res, err := job.Execute(context.Background(), job.Job{Spec: job.Spec{Kind: job.Run, Sources: []string{"workshop-intro"}, Runs: 300}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := resultfile.Marshal(res.Summary)
	sum, err := resultfile.ParseSummary("summary.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := job.Execute(context.Background(), job.FromRecipe(*sum.Provenance.Job), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	same, _ := resultfile.Marshal(again.Summary)
	fmt.Println(string(same) == string(data))
	// Output: true
}

// Prepare finds every mistake before anything runs, and estimates the
// time a job would take.
func ExamplePrepare() {
	p, err := job.Prepare(job.Job{Spec: job.Spec{Kind: job.Sweep, Sources: []string{"guinea-2009"},
		Vary: []string{"intervention.unowa.staff=1:41:10"}, Runs: 100000}, Workers: 2})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(len(p.Scenarios()), "points;", p.Estimate())
	_, err = job.Prepare(job.Job{Spec: job.Spec{Kind: job.Sweep, Sources: []string{"guinea-2009"}, Vary: []string{"intervention.unowa.staff"}}})
	fmt.Println(err)
	// Output:
	// 5 points; 1.8e+07 country-months, about 1 minute with 2 workers
	// --vary "intervention.unowa.staff": want PATH=FROM:TO:STEP or PATH=a,b,c
}

func ExampleParseVary() {
	d, err := job.ParseVary("model.war_threshold=0.7:0.8:0.05")
	fmt.Println(d.Path, d.Values, err)
	d, err = job.ParseVary("intervention.unowa.startup_delay_months=0:12:6")
	fmt.Println(d.Path, d.Values, err)
	// Output:
	// model.war_threshold [0.7 0.75 0.8] <nil>
	// intervention.unowa.startup_delay_months [0 6 12] <nil>
}

// Replaying a result file: read the job it records, run it again and
// compare the bytes.
func ExampleRecorded() {
	res, err := job.Execute(context.Background(), job.Job{Spec: job.Spec{Kind: job.Sweep, Sources: []string{"guinea-2009"},
		Vary: []string{"intervention.unowa.staff=10,30"}, Runs: 500}}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := resultfile.Marshal(res.Sweep)

	rec, err := job.Recorded("sweep.json", data)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := rec.Prepare("", 0) // the scenario where the job read it
	if err != nil {
		fmt.Println(err)
		return
	}
	again, err := p.Execute(context.Background(), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	now, _ := rec.Encode(again)
	fmt.Println(rec.Kind, rec.Provenance.Command)
	fmt.Println("byte-identical:", string(now) == string(data))
	// Output:
	// sweep escalate sweep guinea-2009 --runs 500 --seed 20091228 --vary intervention.unowa.staff=10,30
	// byte-identical: true
}

package job_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// headlinePWar is the headline P(war) of a run's, comparison's (the last
// variant's) or sweep's (the first point's) result.
func headlinePWar(r *job.Result) float64 {
	switch {
	case r.Summary != nil:
		return r.Summary.Countries[0].PWar
	case r.Comparison != nil:
		return r.Comparison.Strategies[len(r.Comparison.Strategies)-1].PWar
	}
	return r.Sweep.Points[0].PWar
}

// Events, shocks and disables are part of the job: every kind applies
// them after the strategy and --set, records them (and their flags in the
// command), and the recorded job replays to the byte.
func TestAdditionsRecordedAndReplayed(t *testing.T) {
	add := job.Spec{Events: []string{"guinea:6:0.4:coup"}, Shocks: []string{"guinea:3:0.1:riots"}, Disable: []string{"ohchr"}}
	for _, spec := range []job.Spec{
		{Kind: job.Run, Sources: []string{"guinea-2009"}, Strategy: "fast", Sets: []string{"intervention.unowa.staff=6"}},
		{Kind: job.Compare, Sources: []string{"guinea-2009"}, Strategies: []string{"historical", "fast"}},
		{Kind: job.Compare, Sources: []string{"guinea-2009"}, Vary: []string{"intervention.unowa.staff=3,30"}},
		{Kind: job.Sweep, Sources: []string{"guinea-2009"}, Vary: []string{"intervention.unowa.staff=3,30"}},
	} {
		t.Run(spec.Kind+" "+strings.Join(spec.Vary, ""), func(t *testing.T) {
			spec.Runs = 600
			plain, err := job.Execute(context.Background(), job.Job{Spec: spec, Workers: 2}, nil)
			if err != nil {
				t.Fatal(err)
			}
			spec.Events, spec.Shocks, spec.Disable = add.Events, add.Shocks, add.Disable
			res, err := job.Execute(context.Background(), job.Job{Spec: spec, Workers: 2}, nil)
			if err != nil {
				t.Fatal(err)
			}
			// A coup and riots make war more likely.
			if a, b := headlinePWar(plain), headlinePWar(res); !(b > a) {
				t.Errorf("P(war) %g with the additions, %g without", b, a)
			}
			file, prov := res.File()
			r := prov.Job
			if r == nil || r.Events[0] != add.Events[0] || r.Shocks[0] != add.Shocks[0] || r.Disable[0] != add.Disable[0] {
				t.Fatalf("recorded job %+v", r)
			}
			if !strings.HasSuffix(prov.Command, " --event guinea:6:0.4:coup --shock guinea:3:0.1:riots --disable ohchr") {
				t.Errorf("command %q", prov.Command)
			}
			data, err := resultfile.Marshal(file)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := job.Recorded("result.json", data)
			if err != nil {
				t.Fatal(err)
			}
			p, err := rec.Prepare("", 1)
			if err != nil {
				t.Fatal(err)
			}
			again, err := p.Execute(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			got, err := rec.Encode(again)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("replay differs:\n%s\nwant\n%s", got, data)
			}
		})
	}
}

// An event of size 0 and a shock process of rate 0 change no run (every
// random component draws from its own stream), though they are part of
// the scenario; --disable removes exactly the missions it names.
func TestAdditionsKnownAnswers(t *testing.T) {
	run := func(spec job.Spec) *job.Result {
		t.Helper()
		spec.Kind, spec.Sources, spec.Runs = job.Run, []string{"guinea-2009"}, 500
		res, err := job.Execute(context.Background(), job.Job{Spec: spec, Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	plain := run(job.Spec{})
	zero := run(job.Spec{Events: []string{"guinea:6:0"}, Shocks: []string{"guinea:0:0.2"}})
	if a, b := plain.Summary.Countries[0], zero.Summary.Countries[0]; a.PWar != b.PWar || a.PWarCI95 != b.PWarCI95 || a.TimeToWar.MedianMonths != b.TimeToWar.MedianMonths {
		t.Errorf("a zero event and shock changed P(war): %v, was %v", b.PWar, a.PWar)
	}
	if plain.Summary.Provenance.ScenarioSHA256 == zero.Summary.Provenance.ScenarioSHA256 {
		t.Error("the added event and shock are not in the scenario's fingerprint")
	}
	p, err := job.Prepare(job.Job{Spec: job.Spec{Kind: job.Run, Sources: []string{"guinea-2009"}, Disable: []string{"ohchr", "inquiry"}}})
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, iv := range p.Scenarios()[0].Interventions {
		kept = append(kept, iv.ID)
	}
	if got := strings.Join(kept, ","); got != "ecowas,unowa" {
		t.Errorf("--disable ohchr --disable inquiry keeps %s, want ecowas,unowa", got)
	}
}

// A malformed addition is a mistake in the job (an InvalidError); one
// that does not fit the scenario is an error naming the flag and value.
func TestAdditionsInvalid(t *testing.T) {
	for _, tc := range []struct {
		spec    job.Spec
		invalid bool
		want    string
	}{
		{job.Spec{Events: []string{"guinea:12"}}, true, "want COUNTRY:MONTH:SIZE[:LABEL]"},
		{job.Spec{Shocks: []string{"guinea:x:0.1"}}, true, "the rate per year must be a number"},
		{job.Spec{Events: []string{"guinee:12:0.3"}}, false, `--event guinee:12:0.3:added-12: no country "guinee"`},
		{job.Spec{Events: []string{"guinea:40:0.3"}}, false, "between 1 and horizon_months (36), got 40"},
		{job.Spec{Disable: []string{"unwoa"}}, false, `no intervention "unwoa" in this scenario (did you mean "unowa"?)`},
		{job.Spec{Disable: []string{"unowa"}, Sets: []string{"intervention.unowa.staff=6"}}, true, "--set intervention.unowa.staff=6: --disable unowa switches intervention unowa off"},
	} {
		spec := tc.spec
		spec.Kind, spec.Sources = job.Run, []string{"guinea-2009"}
		_, err := job.Prepare(job.Job{Spec: spec})
		var ie *job.InvalidError
		if err == nil || errors.As(err, &ie) != tc.invalid || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v (invalid %v), want %q (invalid %v)", tc.spec, err, errors.As(err, &ie), tc.want, tc.invalid)
		}
	}
	// compare applies a --disable to every strategy, and refuses one that
	// no strategy's file has.
	_, err := job.Prepare(job.Job{Spec: job.Spec{Kind: job.Compare, Sources: []string{"guinea-2009"}, Disable: []string{"nobody"}}})
	if err == nil || !strings.Contains(err.Error(), `--disable nobody: no intervention "nobody"`) {
		t.Errorf("compare --disable nobody: %v", err)
	}
}

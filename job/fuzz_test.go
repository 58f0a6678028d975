package job_test

import (
	"context"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

// FuzzRecorded feeds arbitrary bytes to replay's reader of a recorded
// job: a file it accepts yields a job that Prepare checks without a panic.
func FuzzRecorded(f *testing.F) {
	for _, spec := range []job.Spec{
		{Kind: job.Run, Sources: []string{"workshop-intro"}, Runs: 20},
		{Kind: job.Compare, Sources: []string{"workshop-intro"}, Runs: 20},
		{Kind: job.Sweep, Sources: []string{"workshop-intro"}, Vary: []string{"intervention.mediators.staff=1,2"}, Runs: 20},
	} {
		res, err := job.Execute(context.Background(), job.Job{Spec: spec, Horizon: 6}, nil)
		if err != nil {
			f.Fatal(err)
		}
		file, _ := res.File()
		data, err := resultfile.Marshal(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"countries":[],"provenance":{"job":{"kind":"run"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := job.Recorded("fuzz.json", data)
		if err != nil {
			return
		}
		if rec.Provenance == nil || rec.Provenance.Job == nil {
			t.Fatal("accepted a file without a recorded job")
		}
		// Prepare must return, not panic; only shipped scenarios are
		// loaded, so that fuzzed paths never reach the file system.
		for _, src := range rec.Job.Sources {
			if strings.ContainsAny(src, "/.\\") {
				return
			}
		}
		_, _ = job.Prepare(rec.Job)
	})
}

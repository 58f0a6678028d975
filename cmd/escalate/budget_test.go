package main

import (
	"strings"
	"testing"
)

// A job estimated beyond ten minutes is refused before it starts, with the
// estimate and the command's own ways to a smaller job.
func TestBudget(t *testing.T) {
	for i, test := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", "guinea-2009", "--runs", "1000000000", "--workers", "2"},
			[]string{"this job is 3.6e+10 country-months, about 18 minutes with 2 workers; add --yes", "split it with --shard"}},
		{[]string{"compare", "guinea-2009", "--runs", "300000000", "--workers", "2"},
			[]string{"add --yes", "fewer --runs, strategies or --vary values"}},
		{[]string{"sweep", "guinea-2009", "--vary", "intervention.unowa.staff=1:100:1", "--runs", "10000000", "--workers", "2"},
			[]string{"add --yes", "fewer points (a larger STEP)"}},
	} {
		stdout, errs, code := escalate(t, test.args...)
		if code != 2 || stdout != "" {
			t.Errorf("%d: exit %d, stdout %q", i, code, stdout)
		}
		for _, w := range test.want {
			if !strings.Contains(errs, w) {
				t.Errorf("%d: %q lacks %q", i, errs, w)
			}
		}
	}
	if err := checkBudget(1e9, 36, 1, 1, 2, true, ""); err != nil {
		t.Errorf("--yes: %v", err)
	}
	if err := checkBudget(10000, 36, 1, 1, 2, false, ""); err != nil {
		t.Errorf("a small job: %v", err)
	}
}

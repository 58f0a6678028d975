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
			[]string{"this job is 3.6e+10 country-months, about 22 minutes with 2 workers; add --yes", "split it with --shard"}},
		{[]string{"compare", "guinea-2009", "--runs", "300000000", "--workers", "2"},
			[]string{"add --yes", "fewer --runs, strategies or --vary values"}},
		{[]string{"sweep", "guinea-2009", "--vary", "intervention.unowa.staff=1:100:1", "--runs", "10000000", "--workers", "2"},
			[]string{"add --yes", "fewer points (a larger STEP)"}},
		// Each point's own scenario counts: at 2 events a year this
		// sweep would take 4 minutes, at 120 it takes 15 more.
		{[]string{"sweep", "guinea-2009", "--vary", "country.guinea.shock.army.rate_per_year=2,120", "--runs", "100000000", "--workers", "2"},
			[]string{"this job is 7.2e+09 country-months, about 20 minutes with 2 workers"}},
		// Few country-months, but each draws about 320 shock events.
		{[]string{"run", "testdata/heavy-shocks.toml", "--runs", "1000000", "--workers", "2"},
			[]string{"this job is 1.2e+09 country-months, about 3 hours with 2 workers"}},
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
}

package sim

import (
	"math"
	"testing"
)

// With noise, shocks, events, momentum, spillover and missions off, the
// tension path is x_m = x_{m-1} + reversion*(pressure - x_{m-1}), the same in
// every run, and time to war is the first month whose stage is war.
func TestClosedFormTension(t *testing.T) {
	for i, test := range []struct {
		x0, pressure, reversion float64
		horizon                 int
	}{
		{0.1, 0.9, 0.1, 36},
		{0.5, 0.95, 0.05, 60},
		{0.8, 0.2, 0.2, 24},  // starts at war, falls back
		{0.3, 0.5, 0.08, 36}, // never reaches war
		{0.0, 1.0, 1.0, 5},   // jumps to 1 in one month
	} {
		sc := quiet(test.x0, test.pressure, test.reversion, test.horizon)
		const runs = 50
		r := mustRun(t, sc, runs, 7, 2)
		x := test.x0
		prev := StageOf(x, Latent, 0.4, 0.75, 0)
		wantFirst := -1
		if prev == War {
			wantFirst = 0
		}
		wantMonths := 0
		c0 := make([]float64, test.horizon+1) // the path
		for m := 0; m <= test.horizon; m++ {
			if m > 0 {
				x += test.reversion * (test.pressure - x)
				prev = StageOf(x, prev, 0.4, 0.75, 0.05)
				if prev == War {
					wantMonths++
				}
				if prev == War && wantFirst < 0 {
					wantFirst = m
				}
			}
			c0[m] = x
			c := &r.Countries[0]
			if got := c.Occupancy[m][prev]; got != runs {
				t.Errorf("%d: month %d: %d runs in stage %v, want all %d", i, m, got, prev, runs)
			}
			if got := c.Tension[m][tensionBin(x)]; got != runs {
				t.Errorf("%d: month %d: tension %.6f: bin %d holds %d runs, want %d", i, m, x, tensionBin(x), got, runs)
			}
		}
		if got := firstWar(r, 0); got != wantFirst {
			t.Errorf("%d: first war month %d, want %d", i, got, wantFirst)
		}
		if got := r.Countries[0].WarMonths[wantMonths]; got != runs {
			t.Errorf("%d: %d runs with %d months at war, want %d", i, got, wantMonths, runs)
		}
		s := Summarize(sc, r, 7)
		surv := s.Countries[0].TimeToWar.Survival
		for m, v := range surv {
			want := 1.0
			if wantFirst >= 0 && m >= wantFirst {
				want = 0
			}
			if v != want {
				t.Errorf("%d: survival at month %d = %g, want %g", i, m, v, want)
			}
		}
		// Every run has the same path, so every quantile is exact.
		for m, q := range s.Countries[0].TensionQuantiles.P05 {
			if p95 := s.Countries[0].TensionQuantiles.P95[m]; q != p95 || math.Abs(q-c0[m]) > 1e-12 {
				t.Errorf("%d: month %d: tension quantiles %.6f..%.6f, want exactly %.6f", i, m, q, p95, c0[m])
			}
		}
	}
}

func TestStageOfHysteresis(t *testing.T) {
	const e, w, h = 0.4, 0.75, 0.05
	for i, test := range []struct {
		x    float64
		prev Stage
		want Stage
	}{
		{0.75, Latent, War},
		{0.74, War, War},        // within hysteresis of war
		{0.701, War, War},       // just above w-h
		{0.69, War, Escalating}, // below w-h
		{0.74, Escalating, Escalating},
		{0.36, Escalating, Escalating},
		{0.351, Escalating, Escalating}, // just above e-h
		{0.34, Escalating, Latent},
		{0.36, War, Escalating}, // war falls to escalating, keeps its hysteresis
		{0.39, Latent, Latent},
		{0.40, Latent, Escalating},
		{0.0, War, Latent},
		{1.0, Latent, War},
	} {
		if got := StageOf(test.x, test.prev, e, w, h); got != test.want {
			t.Errorf("%d: StageOf(%g, %v) = %v, want %v", i, test.x, test.prev, got, test.want)
		}
	}
}

// A war under way in month 0 is the first episode: leaving it and entering
// war again is a recurrence.
func TestWarEpisodes(t *testing.T) {
	sc := quiet(0.8, 0.2, 0.5, 20)
	sc.Countries[0].Events = []Event{{Name: "coup", Month: 10, Size: 0.7}}
	r := mustRun(t, sc, 10, 1, 1)
	s := Summarize(sc, r, 1)
	c := s.Countries[0]
	if r.Countries[0].Onsets[2] != 10 || c.WarOnsets.Mean != 2 || c.WarOnsets.PRecurrence != 1 {
		t.Errorf("onsets %v, mean %g, p_recurrence %g; want 2 episodes in every run", r.Countries[0].Onsets, c.WarOnsets.Mean, c.WarOnsets.PRecurrence)
	}
	if got := firstWar(r, 0); got != 0 {
		t.Errorf("first war month %d, want 0", got)
	}
}

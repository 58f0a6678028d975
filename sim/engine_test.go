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
		if q := s.Countries[0].TensionQuantiles.P50[test.horizon]; math.Abs(q-x) > 0.01 {
			t.Errorf("%d: median tension at horizon %.4f, want %.4f within a bin", i, q, x)
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

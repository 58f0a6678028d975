package job

import (
	"math"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// A job estimated beyond ten minutes is refused before it starts, with the
// estimate and the command's own ways to a smaller job.
func TestRunMonthNanos(t *testing.T) {
	shocks := func(k int, rate float64) []sim.Shock {
		out := make([]sim.Shock, k)
		for i := range out {
			out[i].RatePerYear = rate
		}
		return out
	}
	for i, test := range []struct {
		countries []sim.Country
		want      float64
	}{
		{[]sim.Country{{}}, nsPerCountryMonth},
		{[]sim.Country{{}, {}, {}}, 3 * nsPerCountryMonth},
		{[]sim.Country{{Shocks: shocks(1, 12)}}, nsPerCountryMonth + nsPerShock + nsPerShockEvent},
		{[]sim.Country{{Shocks: shocks(32, 120)}, {}}, 2*nsPerCountryMonth + 32*(nsPerShock+10*nsPerShockEvent)},
	} {
		if got := runMonthNanos(&sim.Scenario{Countries: test.countries}); math.Abs(got-test.want) > 1e-9 {
			t.Errorf("%d: runMonthNanos = %g, want %g", i, got, test.want)
		}
	}
}

// The estimate of a small job is below the limit, of a large one above,
// and workers divide the time.
func TestEstimate(t *testing.T) {
	one := &sim.Scenario{Horizon: 36, Countries: []sim.Country{{}}}
	small := estimate(10000, []*sim.Scenario{one}, 2)
	big := estimate(1e9, []*sim.Scenario{one}, 2)
	if small.TooLong() || !big.TooLong() {
		t.Errorf("small %v too long %v, big %v too long %v", small, small.TooLong(), big, big.TooLong())
	}
	if want := 1e9 * 36 * nsPerCountryMonth * 1e-9 / 2; math.Abs(big.Seconds-want) > 1e-6 {
		t.Errorf("big: %g s, want %g", big.Seconds, want)
	}
	if got, want := big.String(), "3.6e+10 country-months, about 18 minutes with 2 workers"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

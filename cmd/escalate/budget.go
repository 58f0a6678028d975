package main

import (
	"fmt"
	"math"
	"time"
)

// nsPerCountryMonth is a conservative cost of one country-month on one core,
// measured with go test ./sim -bench Run (about 50 ns for tension dynamics
// on this project's 2-core reference machine; see docs/benchmarks.md).
const nsPerCountryMonth = 60

// patienceLimit is how long a job may take before escalate asks for --yes:
// longer than anyone waits at a terminal by accident.
const patienceLimit = 10 * time.Minute

// checkBudget refuses a job whose estimated time exceeds patienceLimit
// unless yes is set, with the estimate and what to do instead (instead
// names the command's own ways to a smaller job).
func checkBudget(runs int64, horizon, countries, variants, workers int, yes bool, instead string) error {
	cm := float64(runs) * float64(horizon) * float64(countries) * float64(variants)
	secs := cm * nsPerCountryMonth * 1e-9 / float64(max(workers, 1))
	if yes || secs <= patienceLimit.Seconds() {
		return nil
	}
	return usagef("this job is %.3g country-months, about %s with %d workers; add --yes to run it anyway, or %s",
		cm, humanDuration(secs), workers, instead)
}

func humanDuration(secs float64) string {
	switch {
	case math.IsInf(secs, 0) || secs > 365*86400:
		return "more than a year"
	case secs > 2*86400:
		return fmt.Sprintf("%.0f days", secs/86400)
	case secs > 2*3600:
		return fmt.Sprintf("%.0f hours", secs/3600)
	}
	return fmt.Sprintf("%.0f minutes", secs/60)
}

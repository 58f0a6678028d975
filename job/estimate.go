package job

import (
	"fmt"
	"math"
	"time"

	"github.com/escalate-sim/escalate/sim"
)

// Costs on one core of this project's 2-core reference machine, measured
// with escalate run --workers 1 on scenarios of one country over 1,200
// months with 0 to 32 shocks at 1 to 120 events a year (see
// docs/benchmarks.md, "Estimating a job's time"):
//
// Each is rounded up from the measurements, so that the estimate errs
// towards asking for confirmation.
const (
	// nsPerCountryMonth is a country's month without shocks: noise,
	// stages, missions, spillover (42-50 ns measured when this was set;
	// 25-45 ns for the shipped scenarios since issue 13's passes, see
	// docs/benchmarks.md). Kept at 60: the estimate decides when to ask
	// before a long job, and a shared machine under load runs slower.
	nsPerCountryMonth = 60
	// nsPerShock is a shock's monthly Poisson draw, and nsPerShockEvent
	// each event it draws (rate_per_year/12 a month on average): 32
	// shocks at 120 a year make a country-month 13 µs, not 50 ns.
	nsPerShock      = 4
	nsPerShockEvent = 50
)

// runMonthNanos estimates the time of one month of one run of sc (all its
// countries) on one core, in nanoseconds.
func runMonthNanos(sc *sim.Scenario) float64 {
	ns := 0.0
	for _, c := range sc.Countries {
		ns += nsPerCountryMonth
		for _, sh := range c.Shocks {
			ns += nsPerShock + nsPerShockEvent*sh.RatePerYear/12
		}
	}
	return ns
}

// PatienceLimit is how long a job may take before a front end should ask
// for confirmation: longer than anyone waits at a terminal by accident.
const PatienceLimit = 10 * time.Minute

// Estimate is the size and expected time of a job, at most: a precision
// target is counted at its cap.
type Estimate struct {
	CountryMonths float64
	Seconds       float64 // with the job's workers
	Workers       int
}

// TooLong reports whether the job is expected to take longer than
// PatienceLimit.
func (e Estimate) TooLong() bool { return e.Seconds > PatienceLimit.Seconds() }

// String says the estimate as a person reads it: "3.6e+10 country-months,
// about 22 minutes with 2 workers".
func (e Estimate) String() string {
	return fmt.Sprintf("%.3g country-months, %s with %d workers", e.CountryMonths, HumanDuration(e.Seconds), e.Workers)
}

// EstimateRuns estimates runs runs of each scenario in scs on workers
// workers, for front ends that run the engine without a Job (escalate
// explore runs every point of its design this way).
func EstimateRuns(runs int64, scs []*sim.Scenario, workers int) Estimate {
	return estimate(runs, scs, workers)
}

// estimate is the estimate of runs runs of each scenario in scs.
func estimate(runs int64, scs []*sim.Scenario, workers int) Estimate {
	var cm, ns float64
	for _, sc := range scs {
		cm += float64(runs) * float64(sc.Horizon) * float64(len(sc.Countries))
		ns += float64(runs) * float64(sc.Horizon) * runMonthNanos(sc)
	}
	return Estimate{CountryMonths: cm, Seconds: ns * 1e-9 / float64(max(workers, 1)), Workers: workers}
}

// HumanDuration says roughly how long secs seconds are.
func HumanDuration(secs float64) string {
	switch {
	case math.IsInf(secs, 0) || secs > 365*86400:
		return "more than a year"
	case secs > 2*86400:
		return fmt.Sprintf("about %.0f days", secs/86400)
	case secs > 2*3600:
		return fmt.Sprintf("about %.0f hours", secs/3600)
	}
	// Rounded up: a job just over the ten-minute limit reads "about 11
	// minutes", not "about 10".
	if m := math.Ceil(secs / 60); m > 1 {
		return fmt.Sprintf("about %.0f minutes", m)
	}
	return "about 1 minute"
}

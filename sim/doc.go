// Package sim is the Monte Carlo engine of escalate.
//
// It takes a validated [Scenario] and a seed and returns aggregates: counts
// and fixed-bin histograms that merge exactly, so runs can be split across
// goroutines, processes or machines and recombined to the same bytes.
// The package is pure: it reads no files, parses no flags and draws no charts.
//
// Each country's stage (latent, escalating, war) follows either a continuous
// tension driven by structural pressure, noise, shocks, scheduled events and
// spillover ([Tension] dynamics), or a Markov chain over the three stages
// ([Markov] dynamics). Mission components ([Intervention]) of three kinds
// (mediation, rule of law, monitoring) act on either.
// A mission's decisions may be timed: it is launched at a month or by a
// trigger, ends at EndMonth, and changes staff at the months of StaffFrom.
// [Trace] tells one run month by month, by the same code that the
// aggregates come from.
//
// Randomness depends only on (seed, run index, stream), where each random
// component (a country's noise, each shock process, each mission's consent
// draw, ...) has its own stream named after its identity in the scenario.
// Results are therefore byte-identical for any number of workers, and two
// variants of a scenario run on the same seed see the same shocks (common
// random numbers), which is what makes paired comparisons precise.
package sim

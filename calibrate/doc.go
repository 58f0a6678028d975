// Package calibrate fits escalate's stage dynamics to observed conflict
// data and says how well they fit.
//
// The data are a country-year panel of conflict stages (none, minor, war)
// read by package [acd] from the UCDP/PRIO Armed Conflict Dataset or from a
// plain id,year,stage file. [FitMarkov] estimates the annual transition
// matrix by maximum likelihood with 95% intervals from a bootstrap over
// countries (a country's years are not independent draws, its history is
// the unit that is resampled), its stationary shares and the expected
// length of a spell in each stage. [Validate] fits on the years before a
// holdout year and scores one-year-ahead forecasts of the later years
// against persistence and the base rates, and compares recurrence and
// spell durations with panels simulated from the fit. [MarkovScenario]
// writes a fit as the transitions of a scenario file (annual steps).
// [FitTension] fits the tension model's baseline (pressure across
// countries, reversion, volatility) by simulated method of moments to the
// same panel, with sandwich intervals (too narrow: see the README) or a
// parametric bootstrap's percentile intervals, and a J test of the model, and
// [TensionScenario] writes it as a tension scenario.
//
// A transition from year t-1 to year t counts in year t: a fit "from 1971
// to 2009" uses the pairs (1970, 1971) ... (2008, 2009), and a pair counts
// only when the country is in the panel in both years.
//
// Everything random takes an explicit seed and gives the same numbers for
// the same seed.
package calibrate

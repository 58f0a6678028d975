package sim

// RefCompare exposes the frozen reference engine (engine_ref_test.go) to
// the external tests, which can load the shipped scenarios.
func RefCompare(variants []*Scenario, seed uint64, first, runs int64, recs bool) (*Comparison, []CountryRecord) {
	return refCompare(variants, seed, first, runs, recs)
}

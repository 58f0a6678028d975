package study

import (
	"context"
	"testing"
)

// BenchmarkPoint measures one point of guinea-2009 (4 strategies x 1,000
// runs x 36 months), with its scenario building, and reports
// country-months per second of CPU (one worker).
func BenchmarkPoint(b *testing.B) {
	f, us := guinea(b, guineaSpecs...)
	st, err := New(Config{File: f, Uncertain: us, Design: "lhs", Samples: 64, Runs: 1000, Seed: 1, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := st.run(context.Background(), st.Points[i%len(st.Points)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*4*1000*36/b.Elapsed().Seconds(), "country-months/s")
}

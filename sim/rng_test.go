package sim

import (
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// ksDistance returns the Kolmogorov–Smirnov distance between a sample and
// a CDF.
func ksDistance(xs []float64, cdf func(float64) float64) float64 {
	sort.Float64s(xs)
	n := float64(len(xs))
	d := 0.0
	for i, x := range xs {
		f := cdf(x)
		d = max(d, math.Abs(f-float64(i)/n), math.Abs(f-float64(i+1)/n))
	}
	return d
}

// The samplers follow their distributions: a Kolmogorov–Smirnov distance
// below the 0.1% critical value 1.95/sqrt(n).
func TestSamplerDistributions(t *testing.T) {
	const n = 200000
	crit := 1.95 / math.Sqrt(n)
	var s stream
	s.reset(1, streamKey("test"), 0)
	for _, test := range []struct {
		name string
		draw func() float64
		cdf  func(float64) float64
	}{
		{"uniform", s.Float64, distuv.Uniform{Min: 0, Max: 1}.CDF},
		{"normal", s.NormFloat64, distuv.Normal{Mu: 0, Sigma: 1}.CDF},
		{"exponential", s.ExpFloat64, distuv.Exponential{Rate: 1}.CDF},
		{"exponential, ziggurat (streams v2)", s.expZig, distuv.Exponential{Rate: 1}.CDF},
	} {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = test.draw()
		}
		if d := ksDistance(xs, test.cdf); d > crit {
			t.Errorf("%s: KS distance %.5f above %.5f", test.name, d, crit)
		}
	}
	// The normal's tails are reached and symmetric.
	far := [2]int{}
	for range 2_000_000 {
		x := s.NormFloat64()
		if x > zigR {
			far[1]++
		} else if x < -zigR {
			far[0]++
		}
	}
	want := 2e6 * (1 - distuv.UnitNormal.CDF(zigR))
	for side, k := range far {
		if math.Abs(float64(k)-want) > 5*math.Sqrt(want) {
			t.Errorf("tail %d: %d draws beyond ±%.3f, want about %.0f", side, k, zigR, want)
		}
	}
}

// The ziggurat exponential (streams v2) has the tables of Marsaglia and
// Tsang's zigset (the first entries as math/rand/v2 hard-codes them),
// reaches its tail beyond expR as often as Exp(1) does, and takes one
// Uint64 for about 97.8% of draws.
func TestExpZigguratTailAndFastPath(t *testing.T) {
	for i, want := range []uint32{0xe290a139, 0x0, 0x9beadebc, 0xc377ac71, 0xd4ddb990} {
		if expK[i] != want {
			t.Errorf("expK[%d] = %#x, want %#x", i, expK[i], want)
		}
	}
	var s stream
	s.reset(3, streamKey("zig"), 0)
	const n = 4_000_000
	far := 0
	for range n {
		if s.expZig() > expR {
			far++
		}
	}
	want := n * math.Exp(-expR)
	if math.Abs(float64(far)-want) > 5*math.Sqrt(want) {
		t.Errorf("%d draws beyond %.3f, want about %.0f", far, expR, want)
	}
	fast := 0
	for range n {
		u := s.Uint64()
		if uint32(u) < expK[uint8(u>>32)] {
			fast++
		}
	}
	if f := float64(fast) / n; f < 0.975 || f > 0.981 {
		t.Errorf("fast path taken by %.4f of draws, want about 0.978", f)
	}
}

// Streams differ by seed, key and run, and repeat exactly for the same.
func TestStreamsIndependent(t *testing.T) {
	first := func(seed, key uint64, run int64) [4]uint64 {
		var s stream
		s.reset(seed, key, run)
		return [4]uint64{s.Uint64(), s.Uint64(), s.Uint64(), s.Uint64()}
	}
	base := first(1, 2, 3)
	if first(1, 2, 3) != base {
		t.Fatal("same seed, key and run give different numbers")
	}
	for _, other := range [][4]uint64{first(2, 2, 3), first(1, 3, 3), first(1, 2, 4)} {
		if other == base {
			t.Error("different seed, key or run give the same numbers")
		}
	}
	// Neighbouring runs are uncorrelated: the correlation of the first
	// uniforms of 100,000 consecutive runs is within noise.
	const n = 100000
	var sx, sy, sxy, sxx, syy float64
	for r := range int64(n) {
		var a, b stream
		a.reset(7, streamKey("noise", "x"), r)
		b.reset(7, streamKey("noise", "x"), r+1)
		x, y := a.Float64(), b.Float64()
		sx, sy, sxy, sxx, syy = sx+x, sy+y, sxy+x*y, sxx+x*x, syy+y*y
	}
	cov := sxy/n - sx/n*sy/n
	corr := cov / math.Sqrt((sxx/n-sx*sx/n/n)*(syy/n-sy*sy/n/n))
	if math.Abs(corr) > 5/math.Sqrt(n) {
		t.Errorf("correlation of neighbouring runs %.4f", corr)
	}
}

package sim

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// sink keeps the compiler from dropping benchmarked draws.
var sink float64

// BenchmarkGenerators compares the hot loop's random sources: escalate's own
// PCG-DXSM stream against math/rand/v2's PCG and ChaCha8 behind rand.Rand,
// for uniforms and normals, plus gonum's distuv samplers and the cost of
// seeding a stream for a run (done for every stream of every run).
func BenchmarkGenerators(b *testing.B) {
	var own stream
	own.reset(1, 2, 3)
	pcg := rand.New(rand.NewPCG(1, 2))
	chacha := rand.New(rand.NewChaCha8([32]byte{1}))
	gonumNormal := distuv.Normal{Mu: 0, Sigma: 1, Src: rand.NewPCG(1, 2)}
	gonumPoisson := distuv.Poisson{Lambda: 1.0 / 12, Src: rand.NewPCG(1, 2)}
	next := 0.0 // a Poisson process of rate 1/12 a month, counted month by month
	month := 0.0
	ownPoisson := func() float64 {
		month++
		k := 0.0
		for next <= month {
			next += own.ExpFloat64() * 12
			k++
		}
		return k
	}
	for _, bc := range []struct {
		name string
		draw func() float64
	}{
		{"uniform/own-pcg", own.Float64},
		{"uniform/rand-pcg", pcg.Float64},
		{"uniform/rand-chacha8", chacha.Float64},
		{"normal/own-ziggurat", own.NormFloat64},
		{"normal/rand-pcg", pcg.NormFloat64},
		{"normal/rand-chacha8", chacha.NormFloat64},
		{"normal/gonum-distuv", gonumNormal.Rand},
		{"exponential/own-inversion", own.ExpFloat64},
		{"exponential/rand-pcg", pcg.ExpFloat64},
		{"poisson/own-arrivals", ownPoisson},
		{"poisson/gonum-distuv", gonumPoisson.Rand},
	} {
		b.Run(bc.name, func(b *testing.B) {
			s := 0.0
			for i := 0; i < b.N; i++ {
				s += bc.draw()
			}
			sink = s
		})
	}
	b.Run("seed/own-pcg", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			own.reset(1, 2, int64(i))
		}
		sink = float64(own.lo)
	})
	b.Run("seed/rand-chacha8", func(b *testing.B) {
		var seed [32]byte
		for i := 0; i < b.N; i++ {
			seed[0] = byte(i)
			sink += float64(rand.NewChaCha8(seed).Uint64() & 1)
		}
	})
}

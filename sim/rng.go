package sim

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
)

// A stream is one random component's generator for one run. Its state
// depends only on (seed, stream key, run index): streams are re-seeded at the
// start of every run, never shared between components, and never advanced by
// anything else, which gives reproducibility for any worker count and common
// random numbers across variants of a scenario.
//
// The generator is PCG-DXSM (O'Neill 2019; the algorithm of Go's
// math/rand/v2.PCG), implemented here rather than imported for two reasons:
// calls through rand.Rand's Source interface cost a third of the hot loop,
// and Go does not promise that math/rand/v2's output never changes, while
// escalate promises that a seed reproduces a result across releases.
type stream struct {
	hi, lo uint64
}

// reset seeds the stream for the given run. Nearby raw PCG seeds are
// correlated, so the seed words go through SplitMix64's finalizer.
func (s *stream) reset(seed, key uint64, run int64) {
	s.resetBase(streamBase(seed, key), run)
}

// streamBase is the part of reset that is the same in every run: the
// stream key hashed with the seed. Callers that reset a stream for many
// runs compute it once.
func streamBase(seed, key uint64) uint64 {
	return mix64(seed ^ mix64(key))
}

// resetBase seeds the stream for the given run from streamBase(seed, key):
// the state reset(seed, key, run) gives.
func (s *stream) resetBase(base uint64, run int64) {
	s.hi = mix64(base + uint64(run)*0x9e3779b97f4a7c15)
	s.lo = mix64(s.hi ^ 0xd1b54a32d192ed03)
}

// Uint64 returns 64 random bits.
func (s *stream) Uint64() uint64 {
	const (
		mulHi = 2549297995355413924
		mulLo = 4865540595714422341
		incHi = 6364136223846793005
		incLo = 1442695040888963407
	)
	// state = state*mul + inc, in 128 bits.
	hi, lo := bits.Mul64(s.lo, mulLo)
	hi += s.hi*mulLo + s.lo*mulHi
	lo, c := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, c)
	s.lo, s.hi = lo, hi
	// DXSM output permutation.
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// Float64 returns a uniform number in [0, 1).
func (s *stream) Float64() float64 {
	return float64(s.Uint64()>>11) * 0x1p-53
}

// ExpFloat64 returns a standard exponential number by inversion: one
// uniform per draw, and a size that grows with its uniform. 1-u is exact
// for the 53-bit uniforms of Float64, so Log(1-u) loses nothing against
// Log1p(-u) and is twice as fast.
func (s *stream) ExpFloat64() float64 {
	return -math.Log(1 - s.Float64())
}

// NormFloat64 returns a standard normal number with the ziggurat method of
// Marsaglia and Tsang (2000), 128 layers; more than 98% of draws cost one
// Uint64 and a multiplication.
func (s *stream) NormFloat64() float64 {
	return s.normFrom(s.Uint64())
}

// normFrom is NormFloat64 whose first 64 bits were u: a caller can inline
// the fast path (absInt32(int32(u)) < zigK[(u>>32)&127], the value
// float64(int32(u))*zigW[(u>>32)&127]) and call normFrom for the rest,
// drawing what NormFloat64 would.
func (s *stream) normFrom(u uint64) float64 {
	for ; ; u = s.Uint64() {
		j := int32(u) // sign and magnitude
		i := (u >> 32) & 127
		x := float64(j) * zigW[i]
		if absInt32(j) < zigK[i] {
			return x
		}
		if i == 0 {
			// The tail beyond zigR, by Marsaglia's method.
			for {
				x = -math.Log1p(-s.Float64()) / zigR
				y := -math.Log1p(-s.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigR + x
			}
			return -zigR - x
		}
		if zigF[i]+s.Float64()*(zigF[i-1]-zigF[i]) < math.Exp(-0.5*x*x) {
			return x
		}
	}
}

// absInt32 is |j| (2^31 for math.MinInt32), without a branch: the sign
// of a random j cannot be predicted.
func absInt32(j int32) uint32 {
	m := j >> 31
	return uint32((j ^ m) - m)
}

// Ziggurat tables (Marsaglia and Tsang 2000, zigset), computed once at
// start-up and read-only afterwards.
const (
	zigR = 3.442619855899      // start of the tail
	zigV = 9.91256303526217e-3 // area of each layer
	zigM = 2147483648.0        // 2^31
)

var zigK, zigW, zigF = zigTables()

func zigTables() (k [128]uint32, w, f [128]float64) {
	dn, tn := zigR, zigR
	q := zigV / math.Exp(-0.5*dn*dn)
	k[0] = uint32(dn / q * zigM)
	k[1] = 0
	w[0] = q / zigM
	w[127] = dn / zigM
	f[0] = 1
	f[127] = math.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigV/dn+math.Exp(-0.5*dn*dn)))
		k[i+1] = uint32(dn / tn * zigM)
		tn = dn
		f[i] = math.Exp(-0.5 * dn * dn)
		w[i] = dn / zigM
	}
	return k, w, f
}

// mix64 is the SplitMix64 finalizer (Steele, Lea and Flood 2014).
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// streamKey names a random component by its identity in the scenario
// ("noise/guinea", "consent/unowa"), so that adding, removing or reordering
// other components never changes its numbers.
func streamKey(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Streams is a version of the random streams: which sampler turns a
// stream's bits into each kind of draw. A result replays to the byte only
// with the version it was made with, so results record it.
type Streams uint8

const (
	// StreamsV1 draws exponentials by inversion, -log(1-u): one uniform per
	// draw. The zero value of Options means StreamsV1.
	StreamsV1 Streams = 1
	// StreamsV2 draws exponentials with the ziggurat method of Marsaglia and
	// Tsang (2000), the method of math/rand/v2's ExpFloat64, over the same
	// PCG streams: faster than inversion, but a different sequence of
	// shock times and sizes. Noise, Markov and
	// consent draws are those of StreamsV1.
	StreamsV2 Streams = 2
)

func (v Streams) String() string {
	switch v {
	case StreamsV1:
		return "v1"
	case StreamsV2:
		return "v2"
	}
	return fmt.Sprintf("Streams(%d)", uint8(v))
}

// ParseStreams reads a stream version as written on the command line and in
// provenance: "v1" or "v2".
func ParseStreams(s string) (Streams, error) {
	switch s {
	case "v1":
		return StreamsV1, nil
	case "v2":
		return StreamsV2, nil
	}
	return 0, fmt.Errorf("unknown stream version %q (want v1 or v2)", s)
}

// exp returns a standard exponential number with the sampler of stream
// version v.
func (s *stream) exp(v Streams) float64 {
	if v == StreamsV2 {
		return s.expZig()
	}
	return s.ExpFloat64()
}

// expZig returns a standard exponential number by the ziggurat method
// (Marsaglia and Tsang 2000; 256 layers, the method of math/rand/v2's
// ExpFloat64, with float64 tables where Go's are float32): about 97.8% of
// draws cost one Uint64 and a multiplication.
func (s *stream) expZig() float64 {
	for {
		u := s.Uint64()
		j := uint32(u)
		i := uint8(u >> 32)
		x := float64(j) * expW[i]
		if j < expK[i] {
			return x
		}
		if i == 0 {
			// The tail beyond expR is expR plus an exponential.
			return expR - math.Log(1-s.Float64())
		}
		if expF[i]+s.Float64()*(expF[i-1]-expF[i]) < math.Exp(-x) {
			return x
		}
	}
}

// Exponential ziggurat tables (Marsaglia and Tsang 2000, zigset), computed
// once at start-up and read-only afterwards.
const (
	expR = 7.69711747013104972  // start of the tail
	expV = 3.949659822581572e-3 // area of each layer
	expM = 4294967296.0         // 2^32
)

var expK, expW, expF = expTables()

func expTables() (k [256]uint32, w, f [256]float64) {
	de, te := expR, expR
	q := expV / math.Exp(-de)
	k[0] = uint32(de / q * expM)
	k[1] = 0
	w[0] = q / expM
	w[255] = de / expM
	f[0] = 1
	f[255] = math.Exp(-de)
	for i := 254; i >= 1; i-- {
		de = -math.Log(expV/de + math.Exp(-de))
		k[i+1] = uint32(de / te * expM)
		te = de
		f[i] = math.Exp(-de)
		w[i] = de / expM
	}
	return k, w, f
}

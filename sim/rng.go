package sim

import (
	"hash/fnv"
	"math/rand/v2"
)

// A stream is one random component's generator for one run. Its state
// depends only on (seed, stream key, run index): streams are re-seeded at the
// start of every run, never shared between components, and never advanced by
// anything else, which gives reproducibility for any worker count and common
// random numbers across variants of a scenario.
type stream struct {
	src rand.PCG
	*rand.Rand
}

func newStream() *stream {
	s := new(stream)
	s.Rand = rand.New(&s.src)
	return s
}

// reset seeds the stream for the given run. Nearby raw PCG seeds are
// correlated, so the two seed words go through SplitMix64's finalizer.
func (s *stream) reset(seed, key uint64, run int64) {
	h := mix64(seed ^ mix64(key))
	hi := mix64(h + uint64(run)*0x9e3779b97f4a7c15)
	lo := mix64(hi ^ 0xd1b54a32d192ed03)
	s.src.Seed(hi, lo)
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

package explore

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// MaxSobolDim is the number of dimensions Sobol supports: one more than
// the rows of the Joe–Kuo table carried here.
const MaxSobolDim = len(joeKuo) + 1

const sobolBits = 32

// Sobol generates a Sobol low-discrepancy sequence with the Joe–Kuo
// direction numbers (new-joe-kuo-6.21201), in Gray-code order, optionally
// scrambled. Its zero value is not usable; call NewSobol.
type Sobol struct {
	dim   int
	v     [][sobolBits]uint32 // direction numbers per dimension, scrambled if asked
	shift []uint32            // digital shift per dimension (0 unscrambled)
	x     []uint32            // current point
	n     uint64              // index of the next point
}

// NewSobol returns the first dim dimensions of the Sobol sequence. With a
// nil src the sequence is the classical unscrambled one, which starts at
// the origin. With a source it is scrambled by a random linear matrix
// scramble (Matoušek 1998: each dimension's generator matrix is multiplied
// by a random lower-triangular binary matrix with a unit diagonal) and a
// random digital shift, as scipy.stats.qmc.Sobol does: every 2^m first
// points keep their stratification, the origin is no longer a point, and
// independent sources give independent replicates for error estimates.
func NewSobol(dim int, src rand.Source) (*Sobol, error) {
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("sobol: %d dimensions, want 1..%d", dim, MaxSobolDim)
	}
	s := &Sobol{dim: dim, v: make([][sobolBits]uint32, dim), shift: make([]uint32, dim), x: make([]uint32, dim)}
	for k := range sobolBits {
		s.v[0][k] = 1 << (sobolBits - 1 - k)
	}
	for j := 1; j < dim; j++ {
		row := joeKuo[j-1]
		deg := int(row.s)
		var m [sobolBits]uint32
		copy(m[:], row.m)
		for k := deg; k < sobolBits; k++ {
			// m_k = 2 a_1 m_{k-1} ^ 4 a_2 m_{k-2} ^ ... ^ 2^s m_{k-s} ^ m_{k-s}
			mk := m[k-deg] ^ (m[k-deg] << deg)
			for i := 1; i < deg; i++ {
				if row.a>>(deg-1-i)&1 == 1 {
					mk ^= m[k-i] << i
				}
			}
			m[k] = mk
		}
		for k := range sobolBits {
			s.v[j][k] = m[k] << (sobolBits - 1 - k)
		}
	}
	if src != nil {
		r := rand.New(src)
		for j := range dim {
			// Lower-triangular L with unit diagonal, acting on the bits of
			// a direction number read from the most significant bit
			// (bit 31 is row 0).
			var l [sobolBits]uint32 // l[row] has bit (31-col) set for L[row][col]
			for row := range sobolBits {
				below := uint32(0)
				if row > 0 {
					below = r.Uint32() &^ (1<<(sobolBits-row) - 1) // cols 0..row-1 random
				}
				l[row] = below | 1<<(sobolBits-1-row)
			}
			for k := range sobolBits {
				var out uint32
				for row := range sobolBits {
					if bits.OnesCount32(l[row]&s.v[j][k])&1 == 1 {
						out |= 1 << (sobolBits - 1 - row)
					}
				}
				s.v[j][k] = out
			}
			s.shift[j] = r.Uint32()
		}
	}
	copy(s.x, s.shift)
	return s, nil
}

// Dim returns the number of dimensions.
func (s *Sobol) Dim() int { return s.dim }

// errExhausted reports that 2^32 points were drawn.
var errExhausted = errors.New("sobol: sequence exhausted after 2^32 points")

// Next writes the next point into dst (len Dim) as numbers in [0, 1).
func (s *Sobol) Next(dst []float64) error {
	if len(dst) != s.dim {
		return fmt.Errorf("sobol: point of %d values, want %d", len(dst), s.dim)
	}
	if s.n >= 1<<sobolBits {
		return errExhausted
	}
	for j, x := range s.x {
		dst[j] = float64(x) / (1 << sobolBits)
	}
	// Gray-code order: point n+1 differs from point n by the direction
	// number of the lowest zero bit of n.
	c := bits.TrailingZeros64(^s.n)
	if c < sobolBits {
		for j := range s.x {
			s.x[j] ^= s.v[j][c]
		}
	}
	s.n++
	return nil
}

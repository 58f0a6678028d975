package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// effectsTension, with math.Expm1 written out for a regional mandate's
// capacity, must give effects' bits (which calls Capacity) for every split:
// staff/scale on both sides of math.expm1's path boundaries, and random
// tensions, staffs and stages.
func TestEffectsTensionMatchesEffects(t *testing.T) {
	for _, kind := range []Kind{Mediation, Monitoring, RuleOfLaw} {
		sc := quiet(0.3, 0.3, 0.1, 12)
		sc.Countries = append(sc.Countries, Country{ID: "b", Name: "B", InitialTension: 0.2, StructuralPressure: 0.2, Reversion: 0.1})
		iv := mission("m", kind, 1)
		iv.Countries = []int{0, 1}
		iv.StaffScale = 1
		sc.Interventions = []Intervention{iv}
		if err := sc.Validate(); err != nil {
			t.Fatal(err)
		}
		s := newRunState(compile(sc))
		s.active = append(s.active[:0], 0)
		sg := &s.p.ivs[0].spans[0]
		check := func(x0, x1 float64, s0, s1 Stage, staff, scale, expertise float64) {
			t.Helper()
			s.x[0], s.x[1], s.stage[0], s.stage[1] = x0, x1, s0, s1
			sg.staff, s.p.ivs[0].scale, s.p.ivs[0].expertise = staff, scale, expertise
			clear(s.shares[0])
			s.effects()
			want := [][]float64{append([]float64(nil), s.mediation...), append([]float64(nil), s.keep...), append([]float64(nil), s.rolKeep...)}
			wantShares := append([]int64(nil), s.shares[0]...)
			clear(s.shares[0])
			s.effectsTension()
			got := [][]float64{s.mediation, s.keep, s.rolKeep}
			for j := range want {
				for c := range want[j] {
					if math.Float64bits(want[j][c]) != math.Float64bits(got[j][c]) {
						t.Fatalf("%v, x %v %v, stages %v %v, staff %v, scale %v, expertise %v: effect %d of country %d is %v (%#x), effects gives %v (%#x)",
							kind, x0, x1, s0, s1, staff, scale, expertise, j, c, got[j][c], math.Float64bits(got[j][c]), want[j][c], math.Float64bits(want[j][c]))
					}
				}
			}
			if wantShares[0] != s.shares[0][0] || wantShares[1] != s.shares[0][1] {
				t.Fatalf("shares %v, effects gives %v", s.shares[0], wantShares)
			}
		}
		// All staff in country 0 (its share is exactly 1), staff/scale
		// next to each boundary.
		for _, b := range []float64{expm1Tiny, expm1Ln2Half, expm1Ln2HalfX3, 0.25, 0.5, 1} {
			v := b
			for range 50 {
				v = math.Nextafter(v, 0)
			}
			for range 100 {
				check(0.5, 0, Escalating, Latent, v, 1, 1)
				check(0.5, 0, War, Latent, v, 1, 0.9)
				v = math.Nextafter(v, 2)
			}
		}
		check(0, 0, Latent, Latent, 8, 10, 1)    // even split
		check(0.5, 0, Latent, Latent, 0, 10, 1)  // no staff
		check(0.5, 0, Latent, Latent, 40, 10, 1) // beyond 1.5 ln 2
		r := rand.New(rand.NewPCG(1, uint64(kind)))
		for range 300_000 {
			check(r.Float64(), r.Float64(), Stage(r.IntN(NumStages)), Stage(r.IntN(NumStages)),
				r.Float64()*20, 0.5+r.Float64()*20, r.Float64())
		}
	}
}

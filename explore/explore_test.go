package explore

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Published first points of the unscrambled Joe–Kuo Sobol sequence in
// dimensions 1..3 (the output of Joe and Kuo's sobol.cc, and of
// scipy.stats.qmc.Sobol(d=3, scramble=False).random(8)).
var sobolFirst = [][]float64{
	{0, 0, 0},
	{0.5, 0.5, 0.5},
	{0.75, 0.25, 0.25},
	{0.25, 0.75, 0.75},
	{0.375, 0.375, 0.625},
	{0.875, 0.875, 0.125},
	{0.625, 0.125, 0.875},
	{0.125, 0.625, 0.375},
}

func TestSobolFirstPoints(t *testing.T) {
	pts, err := SobolPoints(len(sobolFirst), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range sobolFirst {
		if !slices.Equal(pts[i], want) {
			t.Errorf("point %d = %v, want %v", i, pts[i], want)
		}
	}
}

// The Joe–Kuo rows are those of the file: spot-check published rows
// (d, s, a, m_i) at the start, middle and end of the carried table.
func TestJoeKuoRows(t *testing.T) {
	for _, c := range []struct {
		d, s, a int
		m       []uint32
	}{
		{2, 1, 0, []uint32{1}},
		{3, 2, 1, []uint32{1, 3}},
		{7, 4, 4, []uint32{1, 3, 5, 13}},
		{14, 6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	} {
		row := joeKuo[c.d-2]
		if int(row.s) != c.s || int(row.a) != c.a || !slices.Equal(row.m, c.m) {
			t.Errorf("dimension %d: s=%d a=%d m=%v, want s=%d a=%d m=%v", c.d, row.s, row.a, row.m, c.s, c.a, c.m)
		}
	}
	for i, row := range joeKuo {
		if len(row.m) != int(row.s) {
			t.Errorf("dimension %d: %d direction numbers for degree %d", i+2, len(row.m), row.s)
		}
		for j, m := range row.m {
			// m_j is odd and below 2^j.
			if m%2 == 0 || m >= 1<<(j+1) {
				t.Errorf("dimension %d: m_%d = %d is not an odd number below 2^%d", i+2, j+1, m, j+1)
			}
		}
	}
}

// Every 2^m first points of a Sobol sequence, scrambled or not, put one
// point in each interval [i/2^m, (i+1)/2^m) of every coordinate.
func TestSobolStratification(t *testing.T) {
	const n = 256
	for _, src := range []rand.Source{nil, rand.NewPCG(1, 2)} {
		pts, err := SobolPoints(n, MaxSobolDim, src)
		if err != nil {
			t.Fatal(err)
		}
		for j := range MaxSobolDim {
			seen := make([]bool, n)
			for _, p := range pts {
				seen[int(p[j]*n)] = true
			}
			if c := countTrue(seen); c != n {
				t.Errorf("scrambled=%v dimension %d: %d of %d strata hit", src != nil, j+1, c, n)
			}
		}
	}
}

func TestSobolScrambleReproducible(t *testing.T) {
	a, _ := SobolPoints(16, 4, rand.NewPCG(7, 7))
	b, _ := SobolPoints(16, 4, rand.NewPCG(7, 7))
	c, _ := SobolPoints(16, 4, rand.NewPCG(7, 8))
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("same seed, point %d differs: %v vs %v", i, a[i], b[i])
		}
	}
	if slices.Equal(a[0], c[0]) {
		t.Errorf("different seeds gave the same first point %v", a[0])
	}
	if slices.Equal(a[0], []float64{0, 0, 0, 0}) {
		t.Errorf("scrambled sequence starts at the origin")
	}
}

func TestSobolErrors(t *testing.T) {
	for _, d := range []int{0, -1, MaxSobolDim + 1} {
		if _, err := NewSobol(d, nil); err == nil {
			t.Errorf("NewSobol(%d) gave no error", d)
		}
	}
}

func TestLatinHypercubeStratification(t *testing.T) {
	for _, n := range []int{1, 7, 100} {
		pts, err := LatinHypercube(n, 5, rand.NewPCG(3, uint64(n)))
		if err != nil {
			t.Fatal(err)
		}
		for j := range 5 {
			seen := make([]bool, n)
			for _, p := range pts {
				if p[j] < 0 || p[j] >= 1 {
					t.Fatalf("n=%d: coordinate %v outside [0, 1)", n, p[j])
				}
				seen[int(p[j]*float64(n))] = true
			}
			if c := countTrue(seen); c != n {
				t.Errorf("n=%d dimension %d: %d of %d strata hit", n, j+1, c, n)
			}
		}
	}
}

func countTrue(b []bool) int {
	c := 0
	for _, v := range b {
		if v {
			c++
		}
	}
	return c
}

func TestSaltelliStructure(t *testing.T) {
	const n, k = 8, 3
	pts, err := SaltelliPoints(n, k, rand.NewPCG(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != n*(k+2) {
		t.Fatalf("%d points, want %d", len(pts), n*(k+2))
	}
	for j := range n {
		a, b := pts[j*(k+2)], pts[j*(k+2)+k+1]
		for i := range k {
			ab := pts[j*(k+2)+1+i]
			for c := range k {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Fatalf("base %d AB_%d column %d = %v, want %v", j, i+1, c+1, ab[c], want)
				}
			}
		}
	}
	f := make([]float64, len(pts))
	for i := range f {
		f[i] = float64(i)
	}
	fA, fB, fAB, err := SaltelliSplit(f, k)
	if err != nil {
		t.Fatal(err)
	}
	if fA[1] != 5 || fB[1] != 9 || fAB[2][1] != 8 {
		t.Errorf("split: fA[1]=%v fB[1]=%v fAB_3[1]=%v, want 5, 9, 8", fA[1], fB[1], fAB[2][1])
	}
}

// saltelli runs f over a Saltelli design and returns its indices.
func saltelli(t *testing.T, n, k int, f func([]float64) float64) SobolResult {
	t.Helper()
	pts, err := SaltelliPoints(n, k, rand.NewPCG(2026, 16))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = f(p)
	}
	fA, fB, fAB, err := SaltelliSplit(out, k)
	if err != nil {
		t.Fatal(err)
	}
	res, err := SobolIndices(fA, fB, fAB, 1000, rand.NewPCG(5, 5))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func ishigami(u []float64) float64 {
	const a, b = 7, 0.1
	x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
	return math.Sin(x1) + a*math.Pow(math.Sin(x2), 2) + b*math.Pow(x3, 4)*math.Sin(x1)
}

// Analytic indices of the Ishigami function with a = 7, b = 0.1
// (Ishigami & Homma 1990; Saltelli et al. 2008, Global Sensitivity
// Analysis: The Primer, §4.1).
func ishigamiIndices() (first, total []float64) {
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := 0.5 * (1 + b*pi4/5) * (1 + b*pi4/5)
	v2 := a * a / 8
	v13 := b * b * pi8 * (1.0/18 - 1.0/50)
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// The g-function of Sobol' with a = (0, 1, 4.5, 9, 99, 99): indices in
// closed form (Saltelli & Sobol' 1995).
var gA = []float64{0, 1, 4.5, 9, 99, 99}

func gFunction(u []float64) float64 {
	p := 1.0
	for i, a := range gA {
		p *= (math.Abs(4*u[i]-2) + a) / (1 + a)
	}
	return p
}

func gIndices() (first, total []float64) {
	vi := make([]float64, len(gA))
	prod := 1.0
	for i, a := range gA {
		vi[i] = 1 / (3 * (1 + a) * (1 + a))
		prod *= 1 + vi[i]
	}
	v := prod - 1
	for i := range gA {
		first = append(first, vi[i]/v)
		total = append(total, vi[i]*prod/(1+vi[i])/v)
	}
	return first, total
}

func TestSobolIndicesAnalytic(t *testing.T) {
	for _, c := range []struct {
		name        string
		k           int
		f           func([]float64) float64
		first, tot  []float64
		widestAllow float64
	}{
		{"ishigami", 3, ishigami, nil, nil, 0.15},
		{"g-function", 6, gFunction, nil, nil, 0.15},
	} {
		if c.name == "ishigami" {
			c.first, c.tot = ishigamiIndices()
		} else {
			c.first, c.tot = gIndices()
		}
		res := saltelli(t, 4096, c.k, c.f)
		for i, ix := range res.Indices {
			if c.first[i] < ix.FirstCI[0] || c.first[i] > ix.FirstCI[1] {
				t.Errorf("%s S_%d = %.4f [%.4f, %.4f], analytic %.4f outside", c.name, i+1, ix.First, ix.FirstCI[0], ix.FirstCI[1], c.first[i])
			}
			if c.tot[i] < ix.TotalCI[0] || c.tot[i] > ix.TotalCI[1] {
				t.Errorf("%s S_T%d = %.4f [%.4f, %.4f], analytic %.4f outside", c.name, i+1, ix.Total, ix.TotalCI[0], ix.TotalCI[1], c.tot[i])
			}
			// The intervals must also be informative, or covering the
			// truth would prove nothing.
			if w := max(ix.FirstCI[1]-ix.FirstCI[0], ix.TotalCI[1]-ix.TotalCI[0]); w > c.widestAllow {
				t.Errorf("%s parameter %d: interval %.3f wide", c.name, i+1, w)
			}
		}
	}
}

// An output that does not depend on a parameter gives it zero indices
// within their intervals; one that does not vary gives all zeros.
func TestSobolIndicesInert(t *testing.T) {
	res := saltelli(t, 1024, 3, func(u []float64) float64 { return u[0] + 2*u[1]*u[1] })
	ix := res.Indices[2]
	if ix.First != 0 || ix.Total != 0 {
		// f(AB_3) = f(A) exactly: both estimators are exactly zero.
		t.Errorf("inert parameter: S=%v ST=%v, want exactly 0", ix.First, ix.Total)
	}
	res = saltelli(t, 64, 2, func([]float64) float64 { return 3 })
	if res.Variance != 0 || res.Indices[0].Total != 0 {
		t.Errorf("constant output: variance %v, S_T1 %v", res.Variance, res.Indices[0].Total)
	}
}

func TestResolution(t *testing.T) {
	small := saltelli(t, 32, 3, ishigami)
	reasons, need := Resolution{Width: 0.1}.Unresolved(small, []string{"x1", "x2", "x3"})
	if len(reasons) == 0 || need <= 32 || need&(need-1) != 0 {
		t.Errorf("32 base samples of Ishigami: reasons %q, need %d; want reasons and a larger power of two", reasons, need)
	}
	big := saltelli(t, 1<<14, 1, func(u []float64) float64 { return u[0] })
	if reasons, need := (Resolution{Width: 0.1}).Unresolved(big, nil); len(reasons) != 0 || need != 0 {
		t.Errorf("linear function, 16384 samples: %q, need %d", reasons, need)
	}
}

func morris(t *testing.T, r, k int, f func([]float64) float64) []MorrisIndex {
	t.Helper()
	pts, err := MorrisPoints(r, k, 4, rand.NewPCG(9, 9))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(pts))
	for i, p := range pts {
		out[i] = f(p)
	}
	m, err := MorrisEffects(pts, out, k, 200, rand.NewPCG(1, 9))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Morris ranks the g-function's parameters in the order of their total
// indices (decreasing in a_i), and finds a linear function's slopes.
func TestMorrisRanks(t *testing.T) {
	m := morris(t, 200, 6, gFunction)
	for i := 1; i < 4; i++ { // a = 0, 1, 4.5, 9: strictly decreasing importance
		if m[i].MuStar >= m[i-1].MuStar {
			t.Errorf("g-function mu*_%d = %.3f not below mu*_%d = %.3f", i+1, m[i].MuStar, i, m[i-1].MuStar)
		}
	}
	_, tot := ishigamiIndices()
	m = morris(t, 200, 3, ishigami)
	if !(m[0].MuStar > m[2].MuStar && m[1].MuStar > m[2].MuStar) || tot[2] >= tot[1] {
		t.Errorf("ishigami mu* = %.2f %.2f %.2f: x3 (smallest total index) should rank last", m[0].MuStar, m[1].MuStar, m[2].MuStar)
	}
	m = morris(t, 20, 3, func(u []float64) float64 { return 3*u[0] - 2*u[1] })
	want := []MorrisIndex{{MuStar: 3, Mu: 3}, {MuStar: 2, Mu: -2}, {}}
	for i, w := range want {
		if math.Abs(m[i].MuStar-w.MuStar) > 1e-12 || math.Abs(m[i].Mu-w.Mu) > 1e-12 || m[i].Sigma > 1e-12 {
			t.Errorf("linear parameter %d: %+v, want mu*=%v mu=%v sigma=0", i+1, m[i], w.MuStar, w.Mu)
		}
	}
}

func TestMorrisPointsGrid(t *testing.T) {
	pts, err := MorrisPoints(5, 4, 4, rand.NewPCG(1, 1))
	if err != nil {
		t.Fatal(err)
	}
	d := MorrisDelta(4)
	for i, p := range pts {
		for _, v := range p {
			if v < 0 || v > 1 || math.Abs(v*3-math.Round(v*3)) > 1e-12 {
				t.Fatalf("point %d value %v is not on the 4-level grid", i, v)
			}
		}
		if i%5 != 0 {
			var moved float64
			for j := range p {
				moved += math.Abs(p[j] - pts[i-1][j])
			}
			if math.Abs(moved-d) > 1e-12 {
				t.Fatalf("step to point %d moves %v, want %v", i, moved, d)
			}
		}
	}
	if _, err := MorrisPoints(1, 1, 3, rand.NewPCG(1, 1)); err == nil {
		t.Error("odd levels accepted")
	}
}

func TestRobust(t *testing.T) {
	// Three futures, two strategies.
	v := [][]float64{{0.1, 0.3}, {0.4, 0.2}, {0.2, 0.2}}
	r, err := Robust(v, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	if !near(r[0].Mean, 0.7/3) || !near(r[1].Mean, 0.7/3) {
		t.Errorf("means %v %v", r[0].Mean, r[1].Mean)
	}
	if !near(r[0].RegretMean, 0.2/3) || !near(r[0].RegretMax, 0.2) || !near(r[1].RegretMax, 0.2) {
		t.Errorf("regret %+v %+v", r[0], r[1])
	}
	if !near(r[0].Satisficing, 2.0/3) || !near(r[1].Satisficing, 2.0/3) {
		t.Errorf("satisficing %v %v", r[0].Satisficing, r[1].Satisficing)
	}
	if !near(r[0].P10, 0.12) || !near(r[0].P90, 0.36) {
		t.Errorf("p10, p90 = %v, %v; want 0.12, 0.36", r[0].P10, r[0].P90)
	}
	r, _ = Robust(v, math.NaN())
	if !math.IsNaN(r[0].Satisficing) {
		t.Errorf("satisficing without threshold = %v", r[0].Satisficing)
	}
}

func TestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var v [][]float64
	for range 400 {
		base := rng.Float64()
		// Strategy 2 is clearly best, 0 and 1 are the same up to noise.
		v = append(v, []float64{base + 0.01*rng.NormFloat64(), base + 0.01*rng.NormFloat64(), base - 0.2})
	}
	order, steps, err := Rank(v)
	if err != nil {
		t.Fatal(err)
	}
	if order[0] != 2 || !steps[0].Resolved || steps[1].Resolved {
		t.Errorf("order %v, steps %+v: want 2 first and resolved, then an unresolved tie", order, steps)
	}
}

// PRIM finds a box planted in noisy synthetic data.
func TestPRIMPlantedBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	const n = 3000
	x := make([][]float64, n)
	y := make([]bool, n)
	for i := range x {
		x[i] = []float64{rng.Float64(), rng.Float64(), rng.Float64(), rng.Float64()}
		y[i] = x[i][0] > 0.6 && x[i][2] < 0.3
		if rng.Float64() < 0.03 { // label noise
			y[i] = !y[i]
		}
	}
	res, err := PRIM(x, y, PRIMOptions{Resamples: 20, Src: rand.NewPCG(1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Box()
	if math.Abs(b.Box.Lo[0]-0.6) > 0.05 || math.Abs(b.Box.Hi[2]-0.3) > 0.05 {
		t.Errorf("box %s, want x1 above 0.6 and x3 below 0.3", b.Box.Describe(nil))
	}
	if b.Density < 0.85 || b.Coverage < 0.8 {
		t.Errorf("density %.2f, coverage %.2f", b.Density, b.Coverage)
	}
	if res.RestrictedShare[0] < 0.9 || res.RestrictedShare[2] < 0.9 || res.Jaccard < 0.7 {
		t.Errorf("stability: restricted %v, jaccard %.2f", res.RestrictedShare, res.Jaccard)
	}
	for i := 1; i < len(res.Trajectory); i++ {
		if res.Trajectory[i].Mass >= res.Trajectory[i-1].Mass {
			t.Fatalf("mass does not fall along the trajectory at step %d", i)
		}
	}
}

func TestBoxDescribe(t *testing.T) {
	b := unbounded(3)
	b.Lo[0], b.Hi[1], b.Lo[2], b.Hi[2] = 0.071, 0.82, 1, 2
	got := b.Describe([]string{"volatility", "consent", "delay"})
	want := "volatility above 0.071 and consent below 0.82 and delay between 1 and 2"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if unbounded(2).Describe(nil) != "any values (no restriction)" {
		t.Error("unbounded box description")
	}
}

// PRIM peels whole values of a discrete parameter: on a 4-level grid,
// where a 5% peel would split ties, it still finds the box.
func TestPRIMDiscrete(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var x [][]float64
	var y []bool
	for range 800 {
		a, b := float64(rng.IntN(4))/3, float64(rng.IntN(4))/3
		x = append(x, []float64{a, b})
		y = append(y, a >= 2.0/3)
	}
	res, err := PRIM(x, y, PRIMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b := res.Box()
	if b.Box.Lo[0] != 2.0/3 || b.Density != 1 || b.Coverage != 1 || b.Box.Restricted(1) {
		t.Errorf("box %s: density %v coverage %v, want x1 above 0.667 exactly", b.Box.Describe(nil), b.Density, b.Coverage)
	}
}

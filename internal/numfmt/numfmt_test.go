package numfmt

import "testing"

func TestSigned(t *testing.T) {
	for _, test := range []struct {
		x    float64
		d    int
		want string
	}{
		{-2.04, 1, "-2.0"}, {2.04, 1, "+2.0"}, {0, 2, "0.00"}, {0, 1, "0.0"},
		{-0.006, 2, "-0.01"}, {0.006, 2, "+0.01"},
		// Rounds to zero: more decimals show the sign.
		{-0.004, 2, "-0.004"}, {-0.04, 1, "-0.04"}, {0.0002, 2, "+0.0002"},
		{-0.0049, 2, "-0.005"},
		// Beyond three more decimals, the sign of x stays.
		{-1e-9, 2, "-0.00000"}, {1e-9, 1, "+0.0000"},
		{-17.949999999999999, 1, "-17.9"},
		{0.028, 1, "+0.03"}, {-0.028, 1, "-0.03"}, {-1.04, 1, "-1.0"}, {0.00004, 2, "+0.00004"},
	} {
		if got := Signed(test.x, test.d); got != test.want {
			t.Errorf("Signed(%v, %d) = %q, want %q", test.x, test.d, got, test.want)
		}
	}
}

// The example of issue 11: a difference of -0.1795 reads -17.9 points in
// the table and on the chart (it read -18.0 on the chart).
func TestPoints(t *testing.T) {
	for _, test := range []struct {
		d    float64
		want string
	}{
		{-0.1795, "-17.9"}, {0.015, "+1.5"}, {0, "0.0"}, {-0.283, "-28.3"}, {-0.0004, "-0.04"},
	} {
		if got := Points(test.d); got != test.want {
			t.Errorf("Points(%v) = %q, want %q", test.d, got, test.want)
		}
	}
}

func TestMoney(t *testing.T) {
	for _, test := range []struct {
		x    float64
		want string
	}{
		{950, "$950"}, {12345, "$12k"}, {12.8e6, "$12.8M"}, {1.25e9, "$1.25bn"}, {-4000, "-$4k"}, {-0.2, "$0"}, {0, "$0"},
	} {
		if got := Money(test.x); got != test.want {
			t.Errorf("Money(%v) = %q, want %q", test.x, got, test.want)
		}
	}
}

func TestRunCount(t *testing.T) {
	for n, want := range map[int64]string{1: "1 run", 0: "0 runs", 10000: "10,000 runs", 1234567: "1,234,567 runs", -1500: "-1,500 runs"} {
		if got := RunCount(n); got != want {
			t.Errorf("RunCount(%d) = %q, want %q", n, got, want)
		}
	}
}

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildEscalate builds the command once per test binary run.
func buildEscalate(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "escalate")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// An interrupted run stops within a second, exits 130 (SIGINT) or 143
// (SIGTERM), and leaves nothing in the output's parent directory.
func TestInterruptLeavesNothing(t *testing.T) {
	bin := buildEscalate(t)
	for _, test := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		dir := t.TempDir()
		cmd := exec.Command(bin, "run", "guinea-2009", "--runs", "200000000", "--yes", "--out", filepath.Join(dir, "out"))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the run is writing (its temporary directory exists).
		deadline := time.Now().Add(10 * time.Second)
		for {
			entries, _ := os.ReadDir(dir)
			if len(entries) > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatal("the run never started writing")
			}
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		sent := time.Now()
		if err := cmd.Process.Signal(test.sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		took := time.Since(sent)
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != test.code {
			t.Errorf("%v: exit %v, want %d (stderr %q)", test.sig, err, test.code, stderr.String())
		}
		if took > 2*time.Second {
			t.Errorf("%v: took %v to stop", test.sig, took)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%v: left %v behind", test.sig, entries)
		}
		if !strings.Contains(stderr.String(), "interrupted; no output written") {
			t.Errorf("%v: stderr %q", test.sig, stderr.String())
		}
	}
}

// An output directory that cannot be written gives a clear error and no
// partial file.
func TestUnwritableOutput(t *testing.T) {
	var out string
	if os.Geteuid() == 0 {
		// Root writes through permissions; /proc refuses even root.
		out = "/proc/self/escalate-out"
	} else {
		dir := t.TempDir()
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		out = filepath.Join(ro, "out")
	}
	_, errs, code := escalate(t, "run", "testdata/minimal.toml", "--runs", "100", "--out", out)
	if code != 1 || !strings.Contains(errs, "--out "+out) {
		t.Errorf("exit %d: %s", code, errs)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was created", out)
	}
}

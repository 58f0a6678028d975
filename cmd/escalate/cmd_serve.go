package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
	"github.com/escalate-sim/escalate/scenarios"
)

const serveDoc = `
Start the workshop page: a live what-if view a facilitator projects. Open
the address it prints in a browser on the same machine. Pick a scenario,
switch missions on and off, change their staff, launch and start-up delay,
inject an event; the result forms as the runs accumulate. Pin a what-if as
the baseline and every later one is compared with it on common random
numbers, as escalate compare does. Ctrl-C stops the server.

The workshop page also starts a participatory exercise ("Run an
exercise"): teams join from their own browsers and decide, round by round,
which missions to launch, resize or end in one world of the scenario; at
the end their decisions are compared across all runs. Every change to an
exercise is saved at once in --exercise-dir (printed at start);
--resume FILE serves a saved exercise again, where it stopped, after a
restart.

By default it listens on 127.0.0.1:8080 (the next free port if that is
taken), reachable from this machine only. --listen on another address
(e.g. 0.0.0.0:8080, for a room on one network) prints a warning and
requires the random access token in the printed address for everything
that runs or changes anything.

Examples:
  escalate serve
  escalate serve guinea-2009
  escalate serve --listen 0.0.0.0:8080
  escalate serve --resume ~/.local/state/escalate/exercises/exercise-3fa9c2e1.json
`

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "[SCENARIO] [flags]", serveDoc)
	listen := fs.String("listen", "127.0.0.1:8080", "listen on `ADDR` (host:port); beyond loopback a token is required")
	maxRuns := fs.Int64("max-runs", 1_000_000, "most runs one what-if may ask for")
	jobs := fs.Int("jobs", 2, "what-ifs run at once; more wait their turn")
	exDir := fs.String("exercise-dir", "", "save exercises in `DIR` (default: escalate/exercises in the user's state directory, $XDG_STATE_HOME or ~/.local/state)")
	resume := fs.String("resume", "", "serve the saved exercise `FILE` again, where it stopped")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("serve: want at most one shipped scenario to open with, got %d arguments", len(pos))
	}
	cfg := serve.Config{Limits: serve.Limits{MaxRuns: *maxRuns, MaxJobs: *jobs}}
	if len(pos) == 1 {
		f, err := scenarios.Load(pos[0])
		if err != nil {
			return err
		}
		if _, err := f.Scenario(); err != nil {
			return err
		}
		if _, err := scenarios.Open(pos[0]); err == nil {
			cfg.Scenario = pos[0]
		} else {
			cfg.Source = string(f.Data) // a file: the page opens it as pasted
		}
	}
	dir := *exDir
	if dir == "" {
		if dir, err = defaultExerciseDir(); err != nil {
			return err
		}
	}
	cfg.ExerciseStore = exercise.Dir(dir)
	var resumed *exercise.Exercise
	if *resume != "" {
		st, err := exercise.ReadFile(*resume)
		if err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
		if resumed, err = exercise.Resume(st, cfg.ExerciseStore); err != nil {
			return fmt.Errorf("--resume %s: %w", *resume, err)
		}
		cfg.Exercises = append(cfg.Exercises, resumed)
	}
	ln, loopback, err := listenServe(*listen, fs.isSet("listen"))
	if err != nil {
		return err
	}
	cfg.Loopback = loopback
	origin := "http://" + ln.Addr().String()
	url := origin + "/"
	if !loopback {
		var b [16]byte
		rand.Read(b[:])
		cfg.Token = hex.EncodeToString(b[:])
		origin = "http://" + displayHost(ln.Addr())
		url = origin + "/?token=" + cfg.Token
		fmt.Fprintf(stderr, "escalate: warning: listening on %s, reachable from other machines; anyone with the address below (its token) can run what-ifs. Use it on a network you trust, and stop it with Ctrl-C when the workshop ends.\n", ln.Addr())
	}
	fmt.Fprintf(stdout, "Exercises are saved in %s\n", dir)
	if resumed != nil {
		st := resumed.State()
		fmt.Fprintf(stdout, "Exercise %s resumed at month %d (%s, round %d), saved from now on in %s\nFacilitator: %s%s\n", st.ID, st.Month, st.Status, st.Round,
			exercise.Dir(dir).Path(st.ID), origin, exercise.FacilitatorPath(st.ID, st.FacilitatorToken))
	}
	return serveUntilDone(ctx, ln, serve.New(cfg), url, stdout)
}

// defaultExerciseDir is escalate/exercises in the user's state directory:
// $XDG_STATE_HOME, or ~/.local/state (the XDG base directory default; Go
// has no os.UserStateDir).
func defaultExerciseDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "escalate", "exercises"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("serve: no directory to save exercises in (%v): give one with --exercise-dir DIR", err)
	}
	return filepath.Join(home, ".local", "state", "escalate", "exercises"), nil
}

// listenServe listens on addr; when the default port is taken (and the
// user did not ask for it), it tries the next ones. loopback reports
// whether only this machine can connect.
func listenServe(addr string, explicit bool) (net.Listener, bool, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, false, usagef("--listen %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return nil, false, usagef("--listen %q: the port must be a number from 0 to 65535", addr)
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil {
		loopback = ip.IsLoopback()
	}
	tries := 1
	if !explicit && p != 0 {
		tries = 20
	}
	var lastErr error
	for i := range tries {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p+i)))
		if err == nil {
			return ln, loopback, nil
		}
		lastErr = err
	}
	return nil, false, fmt.Errorf("serve: cannot listen on %s: %w", addr, lastErr)
}

// displayHost is the address to print: an unspecified host (0.0.0.0)
// becomes this machine's first non-loopback address.
func displayHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	addrs, _ := net.InterfaceAddrs()
	for _, x := range addrs {
		if ipn, ok := x.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return net.JoinHostPort(ipn.IP.String(), strconv.Itoa(tcp.Port))
		}
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

// serveUntilDone serves h on ln until ctx ends (Ctrl-C, SIGTERM), then
// shuts down within a second: running what-ifs are cancelled with their
// requests.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, url string, stdout io.Writer) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	fmt.Fprintf(stdout, "Workshop page: %s\nOpen it in a browser; Ctrl-C stops the server.\n", url)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close() // streams still open after the grace period
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "Stopped.")
	return nil
}

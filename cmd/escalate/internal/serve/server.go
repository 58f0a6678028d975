package serve

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
	"github.com/escalate-sim/escalate/scenarios"
)

//go:embed web
var webFS embed.FS

// Limits bound what one request may cost. Zero fields take the defaults.
type Limits struct {
	MaxBodyBytes     int64         // a request body; default 2 MiB
	MaxScenarioBytes int           // a pasted scenario; default scenarios.MaxFileSize
	MaxRuns          int64         // runs of one what-if; default 1,000,000
	MaxJobs          int           // what-ifs running at once (more wait); default 2
	RunTimeout       time.Duration // one what-if, queueing included; default 2 minutes
	RequestTimeout   time.Duration // any other request; default 30 s
	MaxHistory       int           // what-ifs kept; default 1000
	KeepDetail       int           // newest what-ifs whose charts can be downloaded; default 50
}

func (l Limits) withDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defi := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBodyBytes, 2<<20)
	defi(&l.MaxScenarioBytes, scenarios.MaxFileSize)
	def(&l.MaxRuns, 1_000_000)
	defi(&l.MaxJobs, 2)
	if l.RunTimeout <= 0 {
		l.RunTimeout = 2 * time.Minute
	}
	if l.RequestTimeout <= 0 {
		l.RequestTimeout = 30 * time.Second
	}
	defi(&l.MaxHistory, 1000)
	defi(&l.KeepDetail, 50)
	return l
}

// Config configures a Server.
type Config struct {
	Engine Engine // nil: SimEngine{}
	Limits Limits
	// Token, when not empty, must be given as ?token= on every API
	// request: the page passes on the one in its own address. Required
	// when the server listens beyond loopback.
	Token string
	// Loopback restricts the Host header to loopback names and addresses;
	// otherwise any IP address, localhost or the machine's host name is
	// accepted. Either way a DNS name pointing at the server (a DNS
	// rebinding attack) is refused.
	Loopback bool
	// Scenario is the shipped scenario the page opens with ("" for
	// workshop-intro); Source, when set, a scenario file's text it opens
	// with instead, as if pasted.
	Scenario string
	Source   string
	// ExerciseStore saves the exercises (nil: kept in memory only), and
	// Exercises are served from the start (escalate serve --resume).
	ExerciseStore exercise.Store
	Exercises     []*exercise.Exercise
}

// Server is the workshop server. Make one with New; it is an http.Handler.
type Server struct {
	cfg    Config
	lim    Limits
	engine Engine
	mux    *http.ServeMux
	slots  chan struct{}
	host   string // this machine's name, accepted in Host headers off loopback

	mu        sync.Mutex
	hist      history
	inFlight  map[string]*flight // client id → its running what-if
	exercises map[string]*exercise.Exercise
}

// New returns a server for cfg.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, lim: cfg.Limits.withDefaults(), engine: cfg.Engine, inFlight: map[string]*flight{}, exercises: map[string]*exercise.Exercise{}}
	for _, e := range cfg.Exercises {
		s.exercises[e.ID()] = e
	}
	if s.engine == nil {
		s.engine = SimEngine{}
	}
	if s.cfg.Scenario == "" {
		s.cfg.Scenario = "workshop-intro"
	}
	s.host, _ = os.Hostname()
	s.slots = make(chan struct{}, s.lim.MaxJobs)
	s.hist.max, s.hist.keep = s.lim.MaxHistory, s.lim.KeepDetail
	static, _ := fs.Sub(webFS, "web")
	m := http.NewServeMux()
	m.Handle("GET /{$}", s.page(static))
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /api/scenarios", s.api(s.handleScenarios))
	m.HandleFunc("POST /api/scenario", s.api(s.handleScenario))
	m.HandleFunc("POST /api/run", s.handleRun) // checks and limits itself: it streams
	m.HandleFunc("GET /api/history", s.api(s.handleHistory))
	m.HandleFunc("GET /api/entry/{id}", s.api(s.handleEntry))
	m.HandleFunc("POST /api/baseline", s.api(s.handleBaseline))
	// summary.json and comparison.json run their job again: they may
	// take as long as a what-if.
	m.HandleFunc("GET /api/download/{what}", s.apiWithin(s.lim.RunTimeout, s.handleDownload))
	s.routeExercises(m, static)
	s.mux = m
	return s
}

// ServeHTTP checks the Host header and the token, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hostAllowed(r.Host) {
		writeError(w, http.StatusMisdirectedRequest, fmt.Sprintf("this server does not answer to host %q: open it by its address (DNS names other than localhost are refused, against DNS rebinding)", r.Host))
		return
	}
	// An exercise's endpoints check its own tokens (a team's link must
	// work without the server's); creating or loading one does not.
	if strings.HasPrefix(r.URL.Path, "/api/") && !exercisePath.MatchString(r.URL.Path) && !s.tokenOK(r) {
		writeError(w, http.StatusForbidden, "missing or wrong access token: open the address escalate serve printed, with its ?token=")
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	s.mux.ServeHTTP(w, r)
}

// hostAllowed reports whether host (the Host header, with or without port)
// names this server.
func (s *Server) hostAllowed(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return !s.cfg.Loopback || ip.IsLoopback()
	}
	return !s.cfg.Loopback && h != "" && strings.EqualFold(h, s.host)
}

func (s *Server) tokenOK(r *http.Request) bool {
	if s.cfg.Token == "" {
		return true
	}
	t := r.URL.Query().Get("token")
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.cfg.Token)) == 1
}

// page serves index.html.
func (s *Server) page(static fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, err := fs.ReadFile(static, "index.html")
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(data)
	})
}

// httpError is an error with the status to answer it with.
type httpError struct {
	status int
	body   any // a message string, or Problems
}

func (e *httpError) Error() string { return fmt.Sprint(e.body) }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// api wraps a JSON handler: body limit, timeout, errors as JSON. A
// handler's panic is not expected, but if one happens the page gets a
// message and the server goes on.
func (s *Server) api(h func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return s.apiWithin(s.lim.RequestTimeout, h)
}

// apiWithin is api with another timeout.
func (s *Server) apiWithin(timeout time.Duration, h func(w http.ResponseWriter, r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		r = r.WithContext(ctx)
		r.Body = http.MaxBytesReader(w, r.Body, s.lim.MaxBodyBytes)
		v, err := func() (v any, err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("internal error: %v", p)
				}
			}()
			return h(w, r)
		}()
		if err != nil {
			writeErr(w, err)
			return
		}
		if v != nil {
			writeJSON(w, http.StatusOK, v)
		}
	}
}

// writeErr answers err: Problems and bad input with 4xx, never 500 for
// anything the page sent.
func writeErr(w http.ResponseWriter, err error) {
	var ps Problems
	var he *httpError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ps):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"problems": ps, "error": ps.Error()})
	case errors.As(err, &mb):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than this server's limit of %d bytes", mb.Limit))
	case errors.As(err, &he):
		if p, ok := he.body.(Problems); ok {
			writeJSON(w, he.status, map[string]any{"problems": p, "error": p.Error()})
			return
		}
		writeError(w, he.status, fmt.Sprint(he.body))
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "the request took too long and was stopped")
	default:
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// decode reads a JSON body into v, strictly.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return err
		}
		if errors.Is(err, io.EOF) {
			return badRequest("empty request: want a JSON object")
		}
		return badRequest("malformed JSON request: %v", err)
	}
	if dec.More() {
		return badRequest("malformed JSON request: more than one JSON value")
	}
	return nil
}

// handleScenarios lists the shipped scenarios.
func (s *Server) handleScenarios(w http.ResponseWriter, r *http.Request) (any, error) {
	list, err := scenarios.Shipped()
	if err != nil {
		return nil, err
	}
	type item struct {
		Name  string `json:"name"`
		Title string `json:"title"`
	}
	out := struct {
		Initial       string `json:"initial"`
		InitialSource string `json:"initial_source,omitempty"`
		Scenarios     []item `json:"scenarios"`
	}{Initial: s.cfg.Scenario, InitialSource: s.cfg.Source}
	for _, i := range list {
		out.Scenarios = append(out.Scenarios, item{i.Name, i.Title})
	}
	return out, nil
}

// handleScenario loads a shipped or pasted scenario and describes it.
func (s *Server) handleScenario(w http.ResponseWriter, r *http.Request) (any, error) {
	var st State
	if err := decode(r, &st); err != nil {
		return nil, err
	}
	f, err := openFile(State{Scenario: st.Scenario, Source: st.Source}, s.lim)
	if err != nil {
		return nil, err
	}
	return describe(f)
}

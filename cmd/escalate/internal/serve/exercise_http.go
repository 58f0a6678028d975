package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
)

// The exercise's endpoints (see EXERCISE-API.md). Creating and loading an
// exercise are server actions: they need the server's token when it has
// one. Everything under /api/exercise/ID/ checks the exercise's own
// tokens instead, so that a team's link works without the server's.
const (
	maxExercises      = 100      // exercises one server keeps
	maxExerciseBody   = 64 << 10 // a decision, an event, a name
	longPoll          = 25 * time.Second
	exerciseFacPage   = "exercise-facilitator.html"
	exerciseTeamPage  = "exercise-team.html"
	exerciseForbidden = "missing or wrong token: open the link you were given"
)

// exercisePath matches the paths that check the exercise's tokens, not the
// server's.
var exercisePath = regexp.MustCompile(`^/api/exercise/[0-9a-f]{8}/[a-z.]+$`)

// routeExercises adds the exercise's routes to m.
func (s *Server) routeExercises(m *http.ServeMux, static fs.FS) {
	m.HandleFunc("POST /api/exercise", s.api(s.handleExerciseCreate))
	m.HandleFunc("POST /api/exercise/load", s.api(s.handleExerciseLoad))
	ex := func(h func(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error)) http.HandlerFunc {
		return s.exerciseAPI(s.lim.RequestTimeout, h)
	}
	m.HandleFunc("GET /api/exercise/{id}/state", ex(s.handleExerciseState))
	m.HandleFunc("POST /api/exercise/{id}/join", ex(s.handleExerciseJoin))
	m.HandleFunc("POST /api/exercise/{id}/decide", ex(s.handleExerciseDecide))
	m.HandleFunc("POST /api/exercise/{id}/advance", ex(s.handleExerciseAdvance))
	m.HandleFunc("POST /api/exercise/{id}/event", ex(s.handleExerciseEvent))
	m.HandleFunc("POST /api/exercise/{id}/end", ex(s.handleExerciseEnd))
	m.HandleFunc("POST /api/exercise/{id}/deadline", ex(s.handleExerciseDeadline))
	m.HandleFunc("GET /api/exercise/{id}/export.toml", ex(s.handleExerciseExport))
	m.HandleFunc("GET /api/exercise/{id}/file", ex(s.handleExerciseFile))
	// The debrief runs a comparison the first time: as long as a what-if.
	m.HandleFunc("GET /api/exercise/{id}/debrief", s.exerciseAPI(s.lim.RunTimeout, s.handleExerciseDebrief))
	m.HandleFunc("GET /api/exercise/{id}/comparison.json", s.exerciseAPI(s.lim.RunTimeout, s.handleExerciseComparison))
	m.Handle("GET /exercise/{id}/{page}", s.exercisePage(static))
}

// exerciseAPI wraps an exercise's endpoint: the exercise by its id, a
// small body limit, and the package's errors as 4xx.
func (s *Server) exerciseAPI(timeout time.Duration, h func(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error)) http.HandlerFunc {
	return s.apiWithin(timeout, func(w http.ResponseWriter, r *http.Request) (any, error) {
		r.Body = http.MaxBytesReader(w, r.Body, maxExerciseBody)
		e := s.exercise(r.PathValue("id"))
		if e == nil {
			return nil, &httpError{http.StatusNotFound, fmt.Sprintf("no exercise %q on this server: check the link, or resume its saved file with escalate serve --resume FILE", r.PathValue("id"))}
		}
		v, err := h(w, r, e)
		return v, exerciseErr(err)
	})
}

// exerciseErr gives the package's refusals their status.
func exerciseErr(err error) error {
	var xe *exercise.Error
	if !errors.As(err, &xe) {
		return err
	}
	status := map[exercise.Kind]int{exercise.Invalid: http.StatusBadRequest, exercise.Conflict: http.StatusConflict, exercise.Forbidden: http.StatusForbidden}[xe.Kind]
	if status == 0 {
		status = http.StatusBadRequest
	}
	return &httpError{status, xe.Msg}
}

func (s *Server) exercise(id string) *exercise.Exercise {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exercises[id]
}

// addExercise registers e, unless its id is taken or the server is full.
func (s *Server) addExercise(e *exercise.Exercise) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := e.ID()
	if s.exercises[id] != nil {
		return &httpError{http.StatusConflict, fmt.Sprintf("exercise %s is already running on this server: open it with its facilitator link (or load the file with fresh=1 for a new group)", id)}
	}
	if len(s.exercises) >= maxExercises {
		return &httpError{http.StatusConflict, fmt.Sprintf("this server already keeps %d exercises, the most it takes: restart it to start afresh", maxExercises)}
	}
	s.exercises[id] = e
	return nil
}

// who returns the role of the request's ?token=.
func who(r *http.Request, e *exercise.Exercise) (exercise.Role, int) {
	return e.Who(r.URL.Query().Get("token"))
}

func forbidden(msg string) error { return &httpError{http.StatusForbidden, msg} }

// facilitator checks that the request carries the facilitator's token.
func facilitator(r *http.Request, e *exercise.Exercise, what string) error {
	switch role, _ := who(r, e); role {
	case exercise.Facilitator:
		return nil
	case exercise.TeamRole:
		return forbidden("this is a team's link: only the facilitator can " + what)
	}
	return forbidden(exerciseForbidden)
}

// created is the answer to creating or loading an exercise.
type created struct {
	ID               string                     `json:"id"`
	FacilitatorToken string                     `json:"facilitator_token"`
	JoinCode         string                     `json:"join_code"`
	FacilitatorURL   string                     `json:"facilitator_url"`
	JoinURL          string                     `json:"join_url"`
	State            *exercise.FacilitatorState `json:"state"`
}

func newCreated(e *exercise.Exercise) (*created, error) {
	v, err := e.FacilitatorView()
	if err != nil {
		return nil, err
	}
	st := e.State()
	return &created{ID: st.ID, FacilitatorToken: st.FacilitatorToken, JoinCode: st.JoinCode,
		FacilitatorURL: v.FacilitatorURL, JoinURL: v.JoinURL, State: v}, nil
}

// handleExerciseCreate starts an exercise on a shipped or pasted scenario.
func (s *Server) handleExerciseCreate(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		Scenario    string  `json:"scenario"`
		Source      string  `json:"source"`
		RoundMonths int     `json:"round_months"`
		World       *int64  `json:"world"` // absent or -1: drawn at random
		Seed        *uint64 `json:"seed"`
		DebriefRuns int64   `json:"debrief_runs"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if len(req.Source) > s.lim.MaxScenarioBytes {
		return nil, badRequest("the scenario is %d bytes, more than this server's limit of %d", len(req.Source), s.lim.MaxScenarioBytes)
	}
	cfg := exercise.Config{Scenario: req.Scenario, Source: req.Source, RoundMonths: req.RoundMonths, World: -1, Seed: req.Seed, DebriefRuns: req.DebriefRuns}
	if req.World != nil {
		cfg.World = *req.World
	}
	if s.exerciseCount() >= maxExercises {
		return nil, &httpError{http.StatusConflict, fmt.Sprintf("this server already keeps %d exercises, the most it takes: restart it to start afresh", maxExercises)}
	}
	e, err := exercise.New(cfg, s.cfg.ExerciseStore)
	if err != nil {
		return nil, exerciseErr(err)
	}
	if err := s.addExercise(e); err != nil {
		return nil, err
	}
	return newCreated(e)
}

func (s *Server) exerciseCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.exercises)
}

// handleExerciseLoad resumes a saved exercise file sent as the body;
// ?fresh=1 keeps its scenario, world, rounds and events for a new group.
func (s *Server) handleExerciseLoad(w http.ResponseWriter, r *http.Request) (any, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	st, err := exercise.Decode("the exercise file", data)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if fresh := r.URL.Query().Get("fresh"); fresh == "1" || fresh == "true" {
		st = exercise.Fresh(st)
	} else if fresh != "" && fresh != "0" && fresh != "false" {
		return nil, badRequest("fresh must be 1 or 0, got %q", fresh)
	}
	if s.exercise(st.ID) != nil {
		return nil, &httpError{http.StatusConflict, fmt.Sprintf("exercise %s is already running on this server: open it with its facilitator link (or load the file with fresh=1 for a new group)", st.ID)}
	}
	e, err := exercise.Resume(st, s.cfg.ExerciseStore)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if err := s.addExercise(e); err != nil {
		return nil, err
	}
	return newCreated(e)
}

// handleExerciseState answers with the role's view; with ?since=V it
// waits (up to 25 s) for a version newer than V.
func (s *Server) handleExerciseState(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	role, team := who(r, e)
	if role == exercise.Nobody {
		return nil, forbidden(exerciseForbidden)
	}
	if q := r.URL.Query().Get("since"); q != "" {
		since, err := strconv.ParseInt(q, 10, 64)
		if err != nil || since < 0 {
			return nil, badRequest("since must be a version number, got %q", q)
		}
		ctx, cancel := context.WithTimeout(r.Context(), longPoll)
		e.Wait(ctx, since)
		cancel()
	}
	return exerciseView(e, role, team)
}

// exerciseView is the role's view of e.
func exerciseView(e *exercise.Exercise, role exercise.Role, team int) (any, error) {
	if role == exercise.Facilitator {
		return e.FacilitatorView()
	}
	return e.TeamView(team)
}

// handleExerciseJoin adds a team: ?code= must be the join code.
func (s *Server) handleExerciseJoin(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if !e.JoinCodeOK(r.URL.Query().Get("code")) {
		return nil, forbidden("missing or wrong join code: open the join link the facilitator gave")
	}
	var req struct {
		Team string `json:"team"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	t, err := e.Join(req.Team)
	if err != nil {
		return nil, err
	}
	return map[string]string{"team": t.Name, "slug": t.Slug, "strategy": t.Strategy(), "team_token": t.Token,
		"team_url": exercise.TeamPath(e.ID(), t.Token)}, nil
}

// handleExerciseDecide records a team's decision for the open round.
func (s *Server) handleExerciseDecide(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	role, team := who(r, e)
	switch role {
	case exercise.Facilitator:
		return nil, forbidden("this is the facilitator's link: teams decide on their own pages")
	case exercise.Nobody:
		return nil, forbidden(exerciseForbidden)
	}
	var req struct {
		Round   *int               `json:"round"`
		Actions *[]exercise.Action `json:"actions"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Round == nil {
		return nil, badRequest("round missing: say which round the decision is for")
	}
	if req.Actions == nil {
		return nil, badRequest(`actions missing: send "actions": [] to decide to do nothing this round`)
	}
	if err := e.Decide(team, *req.Round, *req.Actions); err != nil {
		return nil, err
	}
	return e.TeamView(team)
}

// roundBody reads {"round": N}.
func roundBody(r *http.Request) (int, error) {
	var req struct {
		Round *int `json:"round"`
	}
	if err := decode(r, &req); err != nil {
		return 0, err
	}
	if req.Round == nil {
		return 0, badRequest("round missing: say which round to close (the one the screen shows)")
	}
	return *req.Round, nil
}

func (s *Server) handleExerciseAdvance(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := facilitator(r, e, "advance the round"); err != nil {
		return nil, err
	}
	round, err := roundBody(r)
	if err != nil {
		return nil, err
	}
	if err := e.Advance(round); err != nil {
		return nil, err
	}
	return e.FacilitatorView()
}

func (s *Server) handleExerciseEvent(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := facilitator(r, e, "inject an event"); err != nil {
		return nil, err
	}
	var req struct {
		Country string   `json:"country"`
		Size    *float64 `json:"size"`
		Name    string   `json:"name"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Size == nil {
		return nil, badRequest("size missing: the tension the event adds, from -1 to 1")
	}
	if _, err := e.Inject(req.Country, *req.Size, req.Name); err != nil {
		return nil, err
	}
	return e.FacilitatorView()
}

func (s *Server) handleExerciseEnd(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := facilitator(r, e, "end the exercise"); err != nil {
		return nil, err
	}
	if err := decodeEmpty(r); err != nil {
		return nil, err
	}
	if err := e.EndNow(); err != nil {
		return nil, err
	}
	return e.FacilitatorView()
}

// decodeEmpty accepts no body, or an empty JSON object.
func decodeEmpty(r *http.Request) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if s := string(data); s != "" && s != "{}" && s != "{}\n" {
		return badRequest("this request takes no body (or {})")
	}
	return nil
}

func (s *Server) handleExerciseDeadline(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := facilitator(r, e, "set a deadline"); err != nil {
		return nil, err
	}
	var req struct {
		Seconds *int `json:"seconds"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Seconds == nil {
		return nil, badRequest("seconds missing: the time left for the round (0 clears the deadline)")
	}
	if err := e.SetDeadline(*req.Seconds, time.Now()); err != nil {
		return nil, err
	}
	return e.FacilitatorView()
}

// anyRole checks that the request carries the facilitator's or a team's
// token.
func anyRole(r *http.Request, e *exercise.Exercise) error {
	if role, _ := who(r, e); role == exercise.Nobody {
		return forbidden(exerciseForbidden)
	}
	return nil
}

func (s *Server) handleExerciseExport(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := anyRole(r, e); err != nil {
		return nil, err
	}
	name, data := e.Export()
	return nil, attach(w, name, "application/toml", data)
}

func (s *Server) handleExerciseFile(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	if err := facilitator(r, e, "download the exercise file (it holds every team's token)"); err != nil {
		return nil, err
	}
	return nil, attach(w, "exercise-"+e.ID()+".json", "application/json", e.Marshal())
}

// debrief runs (or returns) the debrief in one of the server's job slots.
func (s *Server) debrief(r *http.Request, e *exercise.Exercise) (*exercise.Debrief, error) {
	if err := anyRole(r, e); err != nil {
		return nil, err
	}
	ctx := r.Context()
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.slots }()
	return e.Debrief(ctx)
}

func (s *Server) handleExerciseDebrief(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	return s.debrief(r, e)
}

// handleExerciseComparison sends the debrief's comparison as escalate
// compare prints it, byte for byte.
func (s *Server) handleExerciseComparison(w http.ResponseWriter, r *http.Request, e *exercise.Exercise) (any, error) {
	d, err := s.debrief(r, e)
	if err != nil {
		return nil, err
	}
	return nil, attach(w, "comparison.json", "application/json", d.ComparisonJSON)
}

// exercisePage serves the facilitator's and the teams' pages of an
// exercise that exists.
func (s *Server) exercisePage(static fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := map[string]string{"facilitator": exerciseFacPage, "join": exerciseTeamPage, "team": exerciseTeamPage}[r.PathValue("page")]
		if page == "" || s.exercise(r.PathValue("id")) == nil {
			http.Error(w, "no such exercise page: check the link", http.StatusNotFound)
			return
		}
		data, err := fs.ReadFile(static, page)
		if err != nil {
			http.Error(w, "the exercise pages are not part of this build", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(data)
	})
}

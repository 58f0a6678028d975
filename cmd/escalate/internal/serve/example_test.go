package serve_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
)

// A what-if streams a picture after each batch of runs (512, then 1,024
// more, ...) and ends with the full result, which goes into the history.
func ExampleNew() {
	srv := httptest.NewServer(serve.New(serve.Config{}))
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/api/run", "application/json",
		strings.NewReader(`{"state": {"scenario": "guinea-2009", "runs": 2000, "events": ["guinea:12:0.3:coup"]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "event: ") {
			fmt.Println(line)
		}
	}
	// Output:
	// event: progress
	// event: progress
	// event: done
}

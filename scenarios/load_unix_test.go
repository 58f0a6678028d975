//go:build unix

package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Only regular files are read: a named pipe would block the open until
// something writes to it, and a device may never end. Each is refused at
// once, with its path and what it is.
func TestLoadNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, test := range []struct{ path, want string }{
		{fifo, fifo + ": is a named pipe (FIFO), not a regular file"},
		{"/dev/zero", "/dev/zero: is a character device, not a regular file"},
		{"/dev/null", "/dev/null: is a character device, not a regular file"},
		{"testdata", "testdata: is a directory"},
	} {
		if _, err := os.Stat(test.path); err != nil {
			t.Logf("skipping %s: %v", test.path, err)
			continue
		}
		done := make(chan error, 1)
		go func() { _, err := Load(test.path); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Errorf("Load(%s) = %v, want %q", test.path, err, test.want)
			}
		case <-time.After(5 * time.Second):
			// Unblock the open so that the goroutine ends.
			if w, err := os.OpenFile(test.path, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
			t.Fatalf("Load(%s) still blocked after 5 s", test.path)
		}
	}
}

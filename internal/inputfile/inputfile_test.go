package inputfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.csv")
	if err := os.WriteFile(file, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for i, test := range []struct {
		path  string
		limit int64
		want  string
	}{
		{file, 10, ""},
		{file, 9, "more than the limit of 9"},
		{fifo, 100, "is a named pipe (FIFO), not a regular file; a data file must be a regular file"},
		{"/dev/zero", 100, "is a character device"},
		{dir, 100, "is a directory"},
		{filepath.Join(dir, "none"), 100, "no such file"},
	} {
		done := make(chan struct{})
		var data []byte
		var err error
		go func() { data, err = Read(test.path, "a data file", test.limit); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%d: Read(%s) hangs", i, test.path)
		}
		switch {
		case test.want == "" && (err != nil || string(data) != "0123456789"):
			t.Errorf("%d: %q, %v", i, data, err)
		case test.want != "" && (err == nil || !strings.Contains(err.Error(), test.want)):
			t.Errorf("%d: error %v, want %q", i, err, test.want)
		}
	}
	if _, err := Read(dir, "x", 1); !errors.Is(err, ErrDirectory) {
		t.Errorf("a directory: %v, want ErrDirectory", err)
	}
}

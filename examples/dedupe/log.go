package main

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// progressEvery is how often a long run reports progress. Tests shorten it.
var progressEvery = 2 * time.Second

// heartbeat: an unchanged status is repeated every heartbeat intervals.
const heartbeat = 15

// logger writes diagnostics to standard error. The progress goroutine and
// the main flow both write, so writes are serialized.
type logger struct {
	mu    sync.Mutex
	w     io.Writer
	quiet bool
}

func newLogger(w io.Writer) *logger { return &logger{w: w} }

// errorf writes a one-line error, even when quiet.
func (l *logger) errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "dedupe: "+format+"\n", args...)
}

// infof writes a line unless quiet.
func (l *logger) infof(format string, args ...any) {
	if l.quiet {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format+"\n", args...)
}

// progress prints a status line every progressEvery while a run lasts.
// The status is a function, set by the phase under way, that formats
// counters the phase updates atomically.
type progress struct {
	l      *logger
	start  time.Time
	status atomic.Pointer[func() string]
	stop   chan struct{}
	done   chan struct{}
}

func (l *logger) startProgress() *progress {
	p := &progress{l: l, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	if l.quiet {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		var last string
		var lastAt time.Time
		for {
			select {
			case <-p.stop:
				return
			case now := <-t.C:
				fn := p.status.Load()
				if fn == nil {
					continue
				}
				// A status that does not move (one long call) is repeated
				// only now and then, so logs of long runs stay readable.
				s := (*fn)()
				if s == last && now.Sub(lastAt) < heartbeat*progressEvery {
					continue
				}
				last, lastAt = s, now
				p.l.infof("... %s (%s)", s, duration(now.Sub(p.start)))
			}
		}
	}()
	return p
}

// set makes fn the status of the phase under way.
func (p *progress) set(fn func() string) { p.status.Store(&fn) }

// close stops the progress line and waits until it has stopped, so
// nothing is printed after the summary.
func (p *progress) close() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	<-p.done
}

// group formats n with thousands separators: 1,234,567.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// plural formats a count and a noun: "1 row", "2,000 rows".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return group(n) + " " + noun + "s"
}

// duration rounds d for people: 850ms, 2.1s, 3m12s.
func duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}

package run

import (
	"context"
	"runtime"
	"sync"

	"github.com/renewsim/renewsim/sim"
)

// ManyOptions change how RunMany works.
type ManyOptions struct {
	Options
	// Workers is how many scenarios run at once (0: GOMAXPROCS). Each
	// worker has fakes of its own.
	Workers int
	// RecycleLogs lets later runs write into the record of a result once
	// done returned: done must not keep res.Log. Long sweeps then stop
	// allocating (and clearing) a record per variant.
	RecycleLogs bool
}

// RunMany runs every scenario and calls done with each result (or error),
// from one goroutine at a time, in index order: results do not depend on the
// number of workers. It stops at the first error or when ctx is cancelled.
func RunMany(ctx context.Context, scs []*sim.Scenario, opt ManyOptions, done func(i int, res *Result) error) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(scs), 1))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type outcome struct {
		res *Result
		err error
	}
	results := make([]chan outcome, len(scs))
	for i := range results {
		results[i] = make(chan outcome, 1)
	}
	next := make(chan int)
	free := make(chan []sim.Entry, workers+1)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &world{}
			defer w.close()
			for i := range next {
				var buf []sim.Entry
				select {
				case buf = <-free:
				default:
				}
				res, err := runOnBuffer(ctx, w, scs[i], opt.Options, buf)
				results[i] <- outcome{res, err}
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range scs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var firstErr error
	for i := range scs {
		var o outcome
		select {
		case o = <-results[i]:
		case <-ctx.Done():
			o.err = ctx.Err()
		}
		if o.err == nil && firstErr == nil {
			o.err = done(i, o.res)
			if opt.RecycleLogs {
				select {
				case free <- o.res.Log[:0]:
				default:
				}
			}
		}
		if o.err != nil && firstErr == nil {
			firstErr = o.err
			cancel()
		}
	}
	wg.Wait()
	return firstErr
}

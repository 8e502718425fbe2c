package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// childArgsEnv makes the test binary run main with these arguments
// (separated by \x1f) instead of the tests: the signal tests need a
// process of their own to send signals to.
const childArgsEnv = "RENEWSIM_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(childArgsEnv); ok {
		os.Args = append([]string{"renewsim"}, strings.Split(args, "\x1f")...)
		main()
		return
	}
	os.Exit(m.Run())
}

// serveArgs are serve's address flags, all on free ports, with name set
// to addr.
func serveArgs(name, addr string) []string {
	var args []string
	for _, f := range []string{"dns", "smtp", "approval", "acm-api", "route53-api", "control"} {
		a := "127.0.0.1:0"
		if f == name {
			a = addr
		}
		args = append(args, "-"+f, a)
	}
	return args
}

// occupy holds addr's port for the test, on TCP or UDP.
func occupy(t *testing.T, network string) string {
	t.Helper()
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = pc.Close() })
		return pc.LocalAddr().String()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	return ln.Addr().String()
}

// A port already in use, for any of serve's address flags: exit 2, an
// error naming the flag and the address, and every server that had
// started is closed again.
func TestServePortInUse(t *testing.T) {
	for _, tc := range []struct{ flag, network string }{
		{"dns", "udp"},
		{"dns", "tcp"},
		{"smtp", "tcp"},
		{"approval", "tcp"},
		{"acm-api", "tcp"},
		{"route53-api", "tcp"},
		{"control", "tcp"},
	} {
		t.Run(tc.flag+"/"+tc.network, func(t *testing.T) {
			addr := occupy(t, tc.network)
			defer goleak.VerifyNone(t)
			var stdout, stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err := run(ctx, append(append([]string{"serve"}, serveArgs(tc.flag, addr)...), "dns-happy"), &stdout, &stderr)
			require.Error(t, err)
			assert.Equal(t, 2, exitCode(err, &stderr))
			msg := stderr.String()
			assert.Contains(t, msg, fmt.Sprintf("-%s %s: ", tc.flag, addr))
			assert.Contains(t, msg, "in use")
			assert.True(t, errors.Is(err, syscall.EADDRINUSE), "%v", err)
			assert.Empty(t, stdout.String(), "nothing announced as running")
		})
	}
}

// Addresses that cannot work are refused before anything starts.
func TestServeBadAddresses(t *testing.T) {
	defer goleak.VerifyNone(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{serveArgs("control", "0.0.0.0:8080"), "-control 0.0.0.0:8080: want a loopback IP address"},
		{serveArgs("dns", "localhost:5353"), "-dns localhost:5353: want a loopback IP address"},
		{serveArgs("smtp", "127.0.0.1"), "-smtp 127.0.0.1: want a loopback IP address"},
		{serveArgs("acm-api", "127.0.0.1:99999"), "-acm-api 127.0.0.1:99999: want a port number"},
		{[]string{"-smtp", "127.0.0.1:2626", "-approval", "127.0.0.1:2626"}, "-smtp and -approval both ask for 127.0.0.1:2626"},
		{[]string{"-dns", "127.0.0.1:2727", "-control", "[::ffff:127.0.0.1]:2727", "-smtp", "127.0.0.1:0"}, "-dns and -control both ask for 127.0.0.1:2727"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append(append([]string{"serve"}, tc.args...), "dns-happy"), &stdout, &stderr)
		require.Error(t, err, tc.want)
		assert.Equal(t, 2, exitCode(err, &stderr))
		assert.Contains(t, stderr.String(), tc.want)
	}
}

// addrRE finds the addresses serve prints.
var addrRE = regexp.MustCompile(`127\.0\.[0-9]+\.[0-9]+:[0-9]+`)

// SIGINT and SIGTERM stop serve promptly, with exit code 0 and every
// listener closed: the ports it printed can be bound again at once.
func TestServeStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			args := append(append([]string{"serve"}, serveArgs("", "")...), "-speed", "0", "dns-happy")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(args, "\x1f"))
			var stderr lockedBuffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			var addrs []string
			lines := make(chan string)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					lines <- sc.Text()
				}
			}()
			deadline := time.After(time.Minute)
			seen := map[string]bool{}
		read:
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						t.Fatalf("serve ended before announcing its addresses: %s", stderr.String())
					}
					for _, a := range addrRE.FindAllString(line, -1) {
						if !seen[a] {
							seen[a] = true
							addrs = append(addrs, a)
						}
					}
					// The resource comes last.
					if strings.Contains(line, "resource ") {
						break read
					}
				case <-deadline:
					_ = cmd.Process.Kill()
					t.Fatalf("serve did not start: %s", stderr.String())
				}
			}
			go func() {
				for range lines { // drain, so the child never blocks writing
				}
			}()
			// DNS, SMTP, approval, ACM, Route 53, control and the
			// resource's two.
			require.Len(t, addrs, 8, "%v", addrs)

			require.NoError(t, cmd.Process.Signal(sig))
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				require.NoError(t, err, "exit status; stderr: %s", stderr.String())
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				<-exited
				t.Fatalf("serve did not stop on %v: %s", sig, stderr.String())
			}

			for _, a := range addrs {
				ln, err := net.Listen("tcp", a)
				require.NoError(t, err, "%s still taken after serve stopped", a)
				require.NoError(t, ln.Close())
			}
			// The DNS server's UDP side too (the first address printed).
			pc, err := net.ListenPacket("udp", addrs[0])
			require.NoError(t, err, "%s/udp still taken", addrs[0])
			require.NoError(t, pc.Close())
			assert.NotContains(t, stderr.String(), "panic")
		})
	}
}

// lockedBuffer collects a child's output, which os/exec copies in a
// goroutine of its own.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

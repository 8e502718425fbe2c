package approval_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/renewsim/renewsim/fakes/approval"
)

// submission is what a test page's form handler received.
type submission struct {
	method, path string
	values       url.Values
}

// TestClickSubmitsLikeABrowser serves hand-written pages and checks what
// Click submits for them.
func TestClickSubmitsLikeABrowser(t *testing.T) {
	for _, tc := range []struct {
		name    string
		page    string
		want    *submission // nil: no submission expected
		wantErr string
	}{
		{
			name: "hidden fields and named submit button",
			page: `<html><body><form method="POST" action="/done">
				<input type="hidden" name="code" value="a&amp;b">
				<input name="context" value="x">
				<input type="hidden" name="off" value="1" disabled>
				<input type="checkbox" name="box" value="yes" checked>
				<input type="checkbox" name="nobox" value="no">
				<input type="submit" name="go" value="I Approve">
				<input type="submit" name="other" value="Reject">
				</form></body></html>`,
			want: &submission{http.MethodPost, "/done", url.Values{
				"code": {"a&b"}, "context": {"x"}, "box": {"yes"}, "go": {"I Approve"},
			}},
		},
		{
			name: "relative action and get method",
			page: `<form action="next?ignored=1"><select name="s"><option value="1">one<option value="2" selected>two</select>
				<textarea name="note">hello</textarea><button>I Approve</button></form>`,
			want: &submission{http.MethodGet, "/pages/next", url.Values{"s": {"2"}, "note": {"hello"}}},
		},
		{
			name: "first of two forms is used",
			page: `<form method="post" action="/first"><input type="hidden" name="n" value="1"><button type="submit">go</button></form>
				<form method="post" action="/second"><button>go</button></form>`,
			want: &submission{http.MethodPost, "/first", url.Values{"n": {"1"}}},
		},
		{
			name:    "no form",
			page:    `<p>nothing to click</p>`,
			wantErr: "page has no form",
		},
		{
			name:    "no submit button",
			page:    `<form method="post" action="/x"><button type="button">no</button></form>`,
			wantErr: "form has no submit button",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan submission, 1)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/pages/start" {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					_, _ = io.WriteString(w, tc.page)
					return
				}
				assert.NoError(t, r.ParseForm())
				values := r.Form
				if r.Method == http.MethodPost {
					values = r.PostForm
				}
				got <- submission{r.Method, r.URL.Path, values}
			}))
			hc := &http.Client{Transport: &http.Transport{}}
			defer func() {
				hc.CloseIdleConnections()
				ts.Close()
				goleak.VerifyNone(t)
			}()

			res, err := approval.Click(context.Background(), hc, ts.URL+"/pages/start")
			if tc.wantErr != "" {
				assert.ErrorContains(t, err, tc.wantErr)
				assert.Equal(t, http.StatusOK, res.Status)
				assert.False(t, res.Approved)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, approval.ClickResult{Approved: true, Status: http.StatusOK}, res)
			require.Len(t, got, 1)
			assert.Equal(t, *tc.want, <-got)
		})
	}
}

func TestClickErrors(t *testing.T) {
	defer goleak.VerifyNone(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/broken":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/form":
			_, _ = io.WriteString(w, `<form method="post" action="/gone"><button>go</button></form>`)
		case "/gone":
			w.WriteHeader(http.StatusGone)
		}
	}))
	defer ts.Close()
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	ctx := context.Background()

	res, err := approval.Click(ctx, hc, ts.URL+"/broken")
	assert.ErrorContains(t, err, "unexpected status 500")
	assert.Equal(t, http.StatusInternalServerError, res.Status)

	res, err = approval.Click(ctx, hc, ts.URL+"/form")
	require.NoError(t, err, "a 410 on submit is an expiry, not an error")
	assert.Equal(t, approval.ClickResult{Expired: true, Status: http.StatusGone}, res)

	_, err = approval.Click(ctx, hc, "://bad")
	assert.Error(t, err)

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = approval.Click(canceled, hc, ts.URL+"/form")
	assert.ErrorIs(t, err, context.Canceled)
}

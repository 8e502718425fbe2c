package approval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrUnknownLink is returned (wrapped) by Click when the server answers 404.
var ErrUnknownLink = errors.New("approval: unknown approval link")

// maxPageBytes bounds the pages Click reads.
const maxPageBytes = 1 << 20

// ClickResult is the outcome of Click.
type ClickResult struct {
	// Approved is true when the request is approved after the click, either
	// by this click or by an earlier one (then AlreadyApproved is true).
	Approved        bool
	AlreadyApproved bool
	// Expired is true when the link had expired (410 on GET or POST).
	Expired bool
	// Status is the HTTP status of the last response.
	Status int
}

// Click does what a person following an approval link does: it GETs link,
// finds the form on the page and submits it like a browser would (its
// fields, plus the name and value of its first submit button if that has a
// name), following the form's method and action.
//
// An expired link (410) is a normal outcome: Click returns Expired true and
// a nil error, and does not submit anything after a 410 GET. A 404 yields
// an error wrapping ErrUnknownLink; other unexpected statuses, transport
// failures and pages without a form yield errors too. The returned
// ClickResult always carries the last status seen (0 if none).
//
// hc nil means http.DefaultClient.
func Click(ctx context.Context, hc *http.Client, link string) (ClickResult, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return ClickResult{}, fmt.Errorf("approval: click %q: %w", link, err)
	}
	page, resp, err := fetch(hc, req)
	if err != nil {
		return ClickResult{}, err
	}
	res := ClickResult{Status: resp.StatusCode}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusGone:
		res.Expired = true
		return res, nil
	case http.StatusNotFound:
		return res, fmt.Errorf("%w: GET %s: %s", ErrUnknownLink, link, resp.Status)
	default:
		return res, fmt.Errorf("approval: GET %s: unexpected status %s", link, resp.Status)
	}

	f, err := parseForm(page)
	if err != nil {
		return res, fmt.Errorf("approval: GET %s: %w", link, err)
	}
	target, err := resp.Request.URL.Parse(f.action)
	if err != nil {
		return res, fmt.Errorf("approval: form action %q: %w", f.action, err)
	}
	body := f.values.Encode()
	if f.method == http.MethodPost {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, target.String(), strings.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		target.RawQuery = body
		target.Fragment = ""
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	}
	if err != nil {
		return res, fmt.Errorf("approval: submit to %s: %w", target, err)
	}
	_, resp, err = fetch(hc, req)
	if err != nil {
		return res, err
	}
	res.Status = resp.StatusCode
	switch resp.StatusCode {
	case http.StatusOK:
		res.Approved = true
		res.AlreadyApproved = resp.Header.Get(StatusHeader) == StatusAlreadyApproved
		return res, nil
	case http.StatusGone:
		res.Expired = true
		return res, nil
	case http.StatusNotFound:
		return res, fmt.Errorf("%w: %s %s: %s", ErrUnknownLink, req.Method, target, resp.Status)
	default:
		return res, fmt.Errorf("approval: %s %s: unexpected status %s", req.Method, target, resp.Status)
	}
}

// fetch performs req and returns the (bounded) body and the response.
func fetch(hc *http.Client, req *http.Request) ([]byte, *http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("approval: %s %s: %w", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes))
	if err != nil {
		return nil, nil, fmt.Errorf("approval: %s %s: reading body: %w", req.Method, req.URL, err)
	}
	// Drain what the limit left so the connection can be reused.
	_, _ = io.Copy(io.Discard, resp.Body)
	return body, resp, nil
}

// form is the submission a browser would make.
type form struct {
	method string // http.MethodGet or http.MethodPost
	action string // as written; "" means the page itself
	values url.Values
}

// parseForm finds the first form on page and collects what submitting it
// with its first submit button sends.
func parseForm(page []byte) (form, error) {
	doc, err := html.Parse(strings.NewReader(string(page)))
	if err != nil {
		return form{}, fmt.Errorf("parsing page: %w", err)
	}
	var fn *html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Form {
			fn = n
			break
		}
	}
	if fn == nil {
		return form{}, errors.New("page has no form")
	}
	f := form{
		method: http.MethodGet,
		action: attr(fn, "action"),
		values: url.Values{},
	}
	if strings.EqualFold(strings.TrimSpace(attr(fn, "method")), "post") {
		f.method = http.MethodPost
	}
	submitted := false
	for n := range fn.Descendants() {
		if n.Type != html.ElementNode || hasAttr(n, "disabled") {
			continue
		}
		name := attr(n, "name")
		switch n.DataAtom {
		case atom.Input:
			typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
			switch typ {
			case "submit", "image":
				if !submitted {
					submitted = true
					if name != "" {
						f.values.Add(name, attr(n, "value"))
					}
				}
			case "button", "reset", "file":
			case "checkbox", "radio":
				if name != "" && hasAttr(n, "checked") {
					v, ok := attrOK(n, "value")
					if !ok {
						v = "on"
					}
					f.values.Add(name, v)
				}
			default:
				if name != "" {
					f.values.Add(name, attr(n, "value"))
				}
			}
		case atom.Button:
			typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
			if (typ == "" || typ == "submit") && !submitted {
				submitted = true
				if name != "" {
					f.values.Add(name, attr(n, "value"))
				}
			}
		case atom.Textarea:
			if name != "" {
				f.values.Add(name, text(n))
			}
		case atom.Select:
			if name != "" {
				if v, ok := selected(n); ok {
					f.values.Add(name, v)
				}
			}
		}
	}
	if !submitted {
		return form{}, errors.New("form has no submit button")
	}
	return f, nil
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// selected returns the value of the selected option of a select element
// (the first option if none is marked selected).
func selected(n *html.Node) (string, bool) {
	var first *html.Node
	for d := range n.Descendants() {
		if d.Type != html.ElementNode || d.DataAtom != atom.Option {
			continue
		}
		if first == nil {
			first = d
		}
		if hasAttr(d, "selected") {
			first = d
			break
		}
	}
	if first == nil {
		return "", false
	}
	if v, ok := attrOK(first, "value"); ok {
		return v, true
	}
	return strings.TrimSpace(text(first)), true
}

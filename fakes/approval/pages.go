package approval

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"time"
)

// pageData is what the page templates see.
type pageData struct {
	Request
	Path            string
	AlreadyApproved bool
}

// ExpiresUTC formats the expiry for display.
func (d pageData) ExpiresUTC() string {
	return d.ExpiresAt.UTC().Format(time.RFC1123)
}

const layout = `{{define "top"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.}}</title>
</head>
<body>
{{end}}{{define "bottom"}}</body>
</html>
{{end}}`

var (
	pages = template.Must(template.New("layout").Parse(layout))

	formPage = page("form", `{{template "top" "Certificate approval"}}<h1>Certificate approval</h1>
<p>A certificate was requested for the domain below, and approval was requested by e-mail from the owner of {{.ValidationDomain}}.
To approve the request, click "I Approve".</p>
<dl>
<dt>Domain name</dt><dd id="domain">{{.Domain}}</dd>
<dt>Validation domain</dt><dd id="validation-domain">{{.ValidationDomain}}</dd>
<dt>AWS account number</dt><dd id="account">{{.Account}}</dd>
<dt>AWS Region</dt><dd id="region">{{.Region}}</dd>
<dt>Certificate identifier</dt><dd id="certificate-arn">{{.CertificateARN}}</dd>
<dt>Link expires</dt><dd id="expires">{{.ExpiresUTC}}</dd>
</dl>
{{if .AlreadyApproved}}<p id="already-approved">This request has already been approved.</p>
{{end}}<form method="post" action="{{.Path}}">
<input type="hidden" name="code" value="{{.Code}}">
<input type="hidden" name="context" value="{{.Context}}">
<button type="submit">I Approve</button>
</form>
{{template "bottom"}}`)

	successPage = page("success", `{{template "top" "Certificate approved"}}{{if .AlreadyApproved}}<h1>Already approved</h1>
<p>The certificate request for {{.Domain}} (account {{.Account}}, {{.Region}}) was already approved. Nothing more is needed.</p>
{{else}}<h1>Success!</h1>
<p>You have approved the certificate request for {{.Domain}} (account {{.Account}}, {{.Region}}).</p>
{{end}}<p>Certificate identifier: {{.CertificateARN}}</p>
{{template "bottom"}}`)

	expiredPage = page("expired", `{{template "top" "Approval link expired"}}<h1>This approval link has expired</h1>
<p>The approval link for {{.Domain}} expired on {{.ExpiresUTC}} and can no longer be used. No approval has been recorded.</p>
<p>To approve the certificate, a new approval e-mail must be requested (ResendValidationEmail) for certificate {{.CertificateARN}}.</p>
{{template "bottom"}}`)

	unknownPage = page("unknown", `{{template "top" "Unknown approval link"}}<h1>Not found</h1>
<p>unknown approval link</p>
{{template "bottom"}}`)

	methodPage = page("method", `{{template "top" "Method not allowed"}}<h1>Method not allowed</h1>
<p>Use GET to view an approval request and POST to approve it.</p>
{{template "bottom"}}`)

	badRequestPage = page("bad-request", `{{template "top" "Bad request"}}<h1>Bad request</h1>
<p>The form could not be read.</p>
{{template "bottom"}}`)
)

func page(name, text string) *template.Template {
	return template.Must(template.Must(pages.Clone()).New(name).Parse(text))
}

// writePage renders t with data and writes it with status; state goes into
// StatusHeader.
func writePage(w http.ResponseWriter, status int, state string, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		// The templates are fixed and their data are plain strings, so
		// this cannot happen; answer something sensible anyway.
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set(StatusHeader, state)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

package route53

import (
	"fmt"
	"net/http"
	"strings"
)

// Error is a Route 53 error answer: its code (the <Code> of the
// ErrorResponse, which the SDKs turn into a typed error), its message and
// the HTTP status (0 means 400).
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus is the status the error is sent with.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// sender reports whether the fault is the caller's (<Type>Sender</Type>)
// rather than the service's.
func (e *Error) sender() bool { return e.HTTPStatus() < 500 }

// Error codes, as the Route 53 API reference and the SDK's deserializers
// name them.
const (
	ErrNoSuchHostedZone   = "NoSuchHostedZone"
	ErrNoSuchChange       = "NoSuchChange"
	ErrInvalidInput       = "InvalidInput"
	ErrInvalidChangeBatch = "InvalidChangeBatch"
	ErrInvalidDomainName  = "InvalidDomainName"
	ErrAccessDenied       = "AccessDenied"
	ErrThrottling         = "Throttling"
	ErrInternalFailure    = "InternalFailure"
	// ErrUnknownOperation is what AWS's REST front ends answer for a
	// path or method no operation has.
	ErrUnknownOperation      = "UnknownOperationException"
	ErrRequestEntityTooLarge = "RequestEntityTooLargeException"
)

// NoSuchHostedZone is the answer for a zone ID of no zone.
func NoSuchHostedZone(id string) *Error {
	return &Error{Code: ErrNoSuchHostedZone, Status: http.StatusNotFound, Message: "No hosted zone found with ID: " + id}
}

// InvalidInput is the answer for a request that breaks the API's rules.
func InvalidInput(format string, args ...any) *Error {
	return &Error{Code: ErrInvalidInput, Message: fmt.Sprintf(format, args...)}
}

// InvalidChangeBatch refuses a change batch, with one message per problem;
// Route 53 sends them as one bracketed, comma-separated message.
func InvalidChangeBatch(messages []string) *Error {
	return &Error{Code: ErrInvalidChangeBatch, Message: "[" + strings.Join(messages, ", ") + "]"}
}

// AccessDenied denies the caller.
func AccessDenied(msg string) *Error {
	return &Error{Code: ErrAccessDenied, Status: http.StatusForbidden, Message: msg}
}

// Internal is a 500 InternalFailure, which clients retry.
func Internal(msg string) *Error {
	return &Error{Code: ErrInternalFailure, Status: http.StatusInternalServerError, Message: msg}
}

package acmapi

import (
	"fmt"
	"net/http"
)

// Error is an ACM error response: the exception's shape name, sent as the
// body's "__type", its message and the HTTP status (0 means 400). The
// server sends any *Error a Backend method returns, also a wrapped one, as
// it is.
type Error struct {
	Type    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// HTTPStatus is the status the error is sent with.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// Exception names (awsJson1_1 sends the shape name without namespace). The
// ACM ones are modelled in botocore's acm/2015-12-08/service-2.json and
// become typed errors in the SDKs; the last group is what the protocol
// layer answers before an operation runs.
const (
	ErrResourceNotFound               = "ResourceNotFoundException"
	ErrInvalidArn                     = "InvalidArnException"
	ErrRequestInProgress              = "RequestInProgressException"
	ErrInvalidState                   = "InvalidStateException"
	ErrInvalidDomainValidationOptions = "InvalidDomainValidationOptionsException"
	ErrInvalidArgs                    = "InvalidArgsException"
	ErrInvalidParameter               = "InvalidParameterException"
	ErrValidation                     = "ValidationException"
	ErrConflict                       = "ConflictException"
	ErrAccessDenied                   = "AccessDeniedException"
	ErrThrottling                     = "ThrottlingException"
	ErrLimitExceeded                  = "LimitExceededException"

	ErrUnknownOperation      = "UnknownOperationException"
	ErrSerialization         = "SerializationException"
	ErrRequestEntityTooLarge = "RequestEntityTooLargeException"
	ErrInternalFailure       = "InternalFailure"
)

// NotFound is ACM's answer for a well-formed ARN of no certificate in the
// account.
func NotFound(arn string) *Error {
	return &Error{Type: ErrResourceNotFound, Message: fmt.Sprintf("Could not find certificate %s.", arn)}
}

// InvalidArn is the answer for a string that is not a certificate ARN.
func InvalidArn(arn string) *Error {
	return &Error{Type: ErrInvalidArn, Message: fmt.Sprintf("String '%s' is not a valid certificate ARN.", arn)}
}

// RequestInProgress is GetCertificate's answer while the certificate has
// not been issued (and RenewCertificate's while a renewal is under way).
func RequestInProgress(arn string) *Error {
	return &Error{Type: ErrRequestInProgress, Message: fmt.Sprintf("Certificate %s is not yet issued.", arn)}
}

// NotEligible is a Backend's answer to Renew for a certificate ACM does not
// let RenewCertificate renew. ACM documents no exception for this case; a
// ValidationException (which every operation may return) is the closest.
func NotEligible(arn string) *Error {
	return &Error{Type: ErrValidation, Message: fmt.Sprintf("Certificate %s is not eligible for renewal.", arn)}
}

// InvalidState is "processing has reached an invalid state", e.g.
// ResendValidationEmail for a certificate that awaits no approval.
func InvalidState(msg string) *Error { return &Error{Type: ErrInvalidState, Message: msg} }

// InvalidDomainValidationOptions rejects a Domain or ValidationDomain.
func InvalidDomainValidationOptions(msg string) *Error {
	return &Error{Type: ErrInvalidDomainValidationOptions, Message: msg}
}

// Validation is the generic "input failed to satisfy constraints".
func Validation(msg string) *Error { return &Error{Type: ErrValidation, Message: msg} }

// InvalidArgs is ListCertificates' "one or more request parameters is not
// valid".
func InvalidArgs(msg string) *Error { return &Error{Type: ErrInvalidArgs, Message: msg} }

// Conflict is PutAccountConfiguration's "already being updated".
func Conflict(msg string) *Error { return &Error{Type: ErrConflict, Message: msg} }

// AccessDenied denies the caller.
func AccessDenied(msg string) *Error { return &Error{Type: ErrAccessDenied, Message: msg} }

// Throttling refuses the request for exceeding a rate.
func Throttling(msg string) *Error { return &Error{Type: ErrThrottling, Message: msg} }

// Internal is a 500 InternalFailure, which clients retry.
func Internal(msg string) *Error {
	return &Error{Type: ErrInternalFailure, Message: msg, Status: http.StatusInternalServerError}
}

// messageMember is the JSON name of the message member. ACM's model spells
// it "message" everywhere except in AccessDeniedException, whose member is
// "Message"; the SDKs read the member by its modelled name.
func messageMember(typ string) string {
	if typ == ErrAccessDenied {
		return "Message"
	}
	return "message"
}

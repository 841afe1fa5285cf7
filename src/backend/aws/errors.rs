//! One mapping from the SDK's errors (of any of the three services) to [`BackendError`], so the
//! app can tell an administrator what to do: log in again, ask for permissions, wait, retry.

use aws_sdk_ssoadmin::config::http::HttpResponse;
use aws_sdk_ssoadmin::error::{ProvideErrorMetadata, SdkError};

use crate::backend::BackendError;

/// Error codes that mean the caller's credentials are missing, expired or not valid.
const CREDENTIAL_CODES: &[&str] = &[
    "ExpiredTokenException",
    "ExpiredToken",
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
];

const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDeniedException",
    "AccessDenied",
    "AWSOrganizationsNotInUseException",
    "UnauthorizedOperation",
];

const THROTTLING_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ThrottledException",
];

const CONFLICT_CODES: &[&str] = &["ConflictException", "ConcurrentModificationException"];

const VALIDATION_CODES: &[&str] = &[
    "ValidationException",
    "InvalidInputException",
    "ConstraintViolationException",
];

/// Maps a failed SDK call of `operation` (e.g. `ListAccountAssignments`) to a [`BackendError`].
///
/// Generic over the operation's error type: the code and message come from
/// [`ProvideErrorMetadata`], which every service's errors implement alike.
pub(crate) fn from_sdk<E>(operation: &str, err: SdkError<E, HttpResponse>) -> BackendError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let operation = operation.to_string();
    match &err {
        SdkError::ServiceError(service) => {
            let status = service.raw().status().as_u16();
            let inner = service.err();
            classify(operation, inner.code(), inner.message(), Some(status))
        }
        SdkError::TimeoutError(_) => BackendError::Network {
            operation,
            message: format!("timed out: {}", describe(&err)),
        },
        SdkError::DispatchFailure(dispatch) => {
            let message = describe(&err);
            // Identity resolution runs just before sending, so a missing or expired login
            // surfaces here rather than as an answer from AWS.
            if mentions_credentials(&message) {
                BackendError::Credentials(format!("{operation}: {message}"))
            } else if dispatch.is_user() {
                BackendError::Service { operation, message }
            } else {
                BackendError::Network { operation, message }
            }
        }
        SdkError::ConstructionFailure(_) => {
            let message = describe(&err);
            if mentions_credentials(&message) {
                BackendError::Credentials(format!("{operation}: {message}"))
            } else {
                BackendError::Service { operation, message }
            }
        }
        SdkError::ResponseError(response) => BackendError::Service {
            operation,
            message: format!(
                "unreadable response (HTTP {}): {}",
                response.raw().status().as_u16(),
                describe(&err)
            ),
        },
        // SdkError is non-exhaustive.
        _ => BackendError::Service {
            operation,
            message: describe(&err),
        },
    }
}

/// Maps an answer from AWS, by its error code (and HTTP status when the code is missing).
pub(crate) fn classify(
    operation: String,
    code: Option<&str>,
    message: Option<&str>,
    status: Option<u16>,
) -> BackendError {
    let text = message.unwrap_or("no message").to_string();
    let is = |codes: &[&str]| code.is_some_and(|c| codes.contains(&c));
    if is(CREDENTIAL_CODES) {
        let code = code.unwrap_or_default();
        return BackendError::Credentials(format!("{operation}: {code}: {text}"));
    }
    if is(ACCESS_DENIED_CODES) {
        return BackendError::AccessDenied {
            operation,
            message: text,
        };
    }
    if is(THROTTLING_CODES) {
        return BackendError::Throttled {
            operation,
            message: text,
        };
    }
    if is(CONFLICT_CODES) {
        return BackendError::Conflict {
            operation,
            message: text,
        };
    }
    // Organizations names its misses after the resource (ParentNotFoundException, ...).
    if code.is_some_and(|c| c == "ResourceNotFoundException" || c.ends_with("NotFoundException")) {
        return BackendError::NotFound {
            operation,
            message: text,
        };
    }
    if is(VALIDATION_CODES) {
        return BackendError::Validation {
            operation,
            message: text,
        };
    }
    if code == Some("UnknownOperationException") {
        return BackendError::UnknownOperation {
            operation,
            message: text,
        };
    }
    if code.is_none() && matches!(status, Some(401 | 403)) {
        return BackendError::AccessDenied {
            operation,
            message: format!("HTTP {}: {text}", status.unwrap_or_default()),
        };
    }
    if code.is_none() && status == Some(429) {
        return BackendError::Throttled {
            operation,
            message: format!("HTTP 429: {text}"),
        };
    }
    let code = code.unwrap_or("no error code");
    let message = match status {
        Some(status) => format!("{code} (HTTP {status}): {text}"),
        None => format!("{code}: {text}"),
    };
    BackendError::Service { operation, message }
}

/// The error and its sources in one line, as the SDK said them, without its debug dump or its
/// advice to SDK developers (which follows "If you intended" in auth errors).
fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    let line = parts.join(": ");
    match line.find(" If you intended") {
        Some(end) => line[..end].to_string(),
        None => line,
    }
}

fn mentions_credentials(chain: &str) -> bool {
    let chain = chain.to_ascii_lowercase();
    [
        "credential",
        "identity resolver",
        "access token",
        "sso session",
        "token has expired",
        "refresh failed",
    ]
    .iter()
    .any(|needle| chain.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op() -> String {
        "ListUsers".to_string()
    }

    fn kind(err: &BackendError) -> &'static str {
        match err {
            BackendError::Credentials(_) => "credentials",
            BackendError::AccessDenied { .. } => "access denied",
            BackendError::Throttled { .. } => "throttled",
            BackendError::Conflict { .. } => "conflict",
            BackendError::NotFound { .. } => "not found",
            BackendError::Validation { .. } => "validation",
            BackendError::UnknownOperation { .. } => "unknown operation",
            BackendError::Network { .. } => "network",
            BackendError::Service { .. } => "service",
            BackendError::ReadOnly(_) => "read-only",
        }
    }

    #[test]
    fn codes_map_to_what_the_user_can_act_on() {
        let cases = [
            ("ExpiredTokenException", "credentials"),
            ("UnrecognizedClientException", "credentials"),
            ("InvalidClientTokenId", "credentials"),
            ("AccessDeniedException", "access denied"),
            ("AccessDenied", "access denied"),
            ("AWSOrganizationsNotInUseException", "access denied"),
            ("ThrottlingException", "throttled"),
            ("TooManyRequestsException", "throttled"),
            ("ConflictException", "conflict"),
            ("ResourceNotFoundException", "not found"),
            ("ParentNotFoundException", "not found"),
            ("ValidationException", "validation"),
            ("UnknownOperationException", "unknown operation"),
            ("InternalServerException", "service"),
        ];
        for (code, expected) in cases {
            let err = classify(op(), Some(code), Some("said AWS"), Some(400));
            assert_eq!(kind(&err), expected, "{code} gave {err:?}");
        }
    }

    #[test]
    fn credential_errors_keep_what_aws_said_and_say_how_to_log_in() {
        let err = classify(
            op(),
            Some("ExpiredTokenException"),
            Some("token expired"),
            None,
        );
        let text = err.to_string();
        assert!(text.contains("token expired"), "{text}");
        assert!(text.contains("aws sso login"), "{text}");
    }

    #[test]
    fn a_5xx_without_a_code_is_a_service_error_with_the_status() {
        let err = classify(op(), None, None, Some(500));
        assert_eq!(
            err,
            BackendError::Service {
                operation: op(),
                message: "no error code (HTTP 500): no message".to_string()
            }
        );
    }

    #[test]
    fn credential_failures_are_recognised_in_the_sdk_error_chain() {
        assert!(mentions_credentials(
            "dispatch failure: other: the credential provider was not enabled"
        ));
        assert!(mentions_credentials(
            "failed to select an auth scheme ... there was no identity resolver for it."
        ));
        assert!(!mentions_credentials("io error: connection refused"));
    }
}

//! The wall clock as RFC 3339 text, for snapshots, journal lines and batch names.

use std::time::SystemTime;

pub fn now_rfc3339() -> String {
    use aws_sdk_ssoadmin::primitives::{DateTime, DateTimeFormat};
    DateTime::from(SystemTime::now())
        .fmt(DateTimeFormat::DateTime)
        .unwrap_or_default()
}

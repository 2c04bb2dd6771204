//! Which requests get an access-log line. Writing one (formatting it, a timestamp, a write to
//! stderr) costs a cheap request a large share of its time, so by default only the requests
//! someone would look for get one: errors and slow answers.

use std::time::Duration;

use axum::http::StatusCode;

/// Which requests are logged: the `log_requests` setting (`all`, `errors` or `off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestLog {
    /// Every request: one line with status and latency.
    All,
    /// Answers with a 4xx or 5xx status, and answers slower than the threshold.
    #[default]
    Errors,
    /// None (a failing handler still logs its own error).
    Off,
}

/// The rule the access log follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLogPolicy {
    pub mode: RequestLog,
    /// Under [`RequestLog::Errors`], an answer that took at least this long is logged too.
    pub slow: Duration,
}

/// The slow threshold when none is configured.
pub const DEFAULT_SLOW: Duration = Duration::from_millis(500);

impl Default for RequestLogPolicy {
    fn default() -> Self {
        Self {
            mode: RequestLog::default(),
            slow: DEFAULT_SLOW,
        }
    }
}

impl RequestLogPolicy {
    /// Does a request that answered `status` after `latency` get a log line?
    pub fn logs(&self, status: StatusCode, latency: Duration) -> bool {
        match self.mode {
            RequestLog::All => true,
            RequestLog::Errors => {
                status.is_client_error() || status.is_server_error() || latency >= self.slow
            }
            RequestLog::Off => false,
        }
    }

    /// Does a failed request (a 5xx, or a body that broke off) get its failure line?
    pub fn logs_failures(&self) -> bool {
        self.mode != RequestLog::Off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Duration = Duration::from_millis(3);
    const SLOW: Duration = Duration::from_millis(800);

    fn policy(mode: RequestLog) -> RequestLogPolicy {
        RequestLogPolicy {
            mode,
            slow: DEFAULT_SLOW,
        }
    }

    #[test]
    fn each_setting_logs_what_it_says() {
        let cases = [
            // (status, latency, all, errors, off)
            (StatusCode::OK, FAST, true, false, false),
            (StatusCode::SEE_OTHER, FAST, true, false, false),
            (StatusCode::NOT_MODIFIED, FAST, true, false, false),
            (StatusCode::OK, SLOW, true, true, false),
            (StatusCode::OK, DEFAULT_SLOW, true, true, false),
            (StatusCode::NOT_FOUND, FAST, true, true, false),
            (StatusCode::UNPROCESSABLE_ENTITY, FAST, true, true, false),
            (StatusCode::TOO_MANY_REQUESTS, FAST, true, true, false),
            (StatusCode::INTERNAL_SERVER_ERROR, FAST, true, true, false),
            (StatusCode::SERVICE_UNAVAILABLE, SLOW, true, true, false),
        ];
        for (status, latency, all, errors, off) in cases {
            assert_eq!(
                policy(RequestLog::All).logs(status, latency),
                all,
                "all {status} {latency:?}"
            );
            assert_eq!(
                policy(RequestLog::Errors).logs(status, latency),
                errors,
                "errors {status} {latency:?}"
            );
            assert_eq!(
                policy(RequestLog::Off).logs(status, latency),
                off,
                "off {status} {latency:?}"
            );
        }
        assert!(policy(RequestLog::All).logs_failures());
        assert!(policy(RequestLog::Errors).logs_failures());
        assert!(!policy(RequestLog::Off).logs_failures());
    }

    #[test]
    fn the_default_logs_errors_and_slow_answers_only() {
        let default = RequestLogPolicy::default();
        assert_eq!(default.mode, RequestLog::Errors);
        assert_eq!(default.slow, Duration::from_millis(500));
        assert!(!default.logs(StatusCode::OK, Duration::from_millis(499)));
        assert!(default.logs(StatusCode::OK, Duration::from_millis(500)));
    }
}

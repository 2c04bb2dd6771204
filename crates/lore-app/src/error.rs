//! `AppError`: what a use case can answer besides success, each with a stable code.

use lore_domain::Invalid;
use lore_domain::people_csv::RowError;
use lore_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{}", .0.message)]
    Invalid(Invalid),
    #[error("{0} was not found.")]
    NotFound(&'static str),
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("Sign in first.")]
    Unauthenticated,
    #[error("That email and password do not match an account.")]
    InvalidCredentials,
    #[error("This account is deactivated. Ask an administrator to reactivate it.")]
    AccountDeactivated,
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    #[error("{0}")]
    Conflict(String),
    /// A conflict with its own stable code, for refusals clients tell apart
    /// (`already_voted`, `need_closed`, …).
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("This link has expired. Ask an administrator for a new one.")]
    LinkExpired,
    #[error("This link has already been used or replaced.")]
    LinkUsed,
    #[error("{0}")]
    AttemptClosed(String),
    /// A request body over the limit of the call that received it (the message says the limit).
    #[error("{0}")]
    TooLarge(String),
    #[error("The file has {} bad rows; nothing was imported.", bad_rows(.0))]
    ImportRejected(Vec<RowError>),
    #[error(
        "Something went wrong on our side. Try again; if it keeps happening, tell an administrator."
    )]
    Internal(String),
}

impl AppError {
    /// The stable machine code of the error, as the API and logs show it.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid_input",
            AppError::NotFound(_) => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::AccountDeactivated => "account_deactivated",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Conflict(_) => "conflict",
            AppError::Refused { code, .. } => code,
            AppError::LinkExpired => "link_expired",
            AppError::LinkUsed => "link_used",
            AppError::ImportRejected(_) => "import_rejected",
            AppError::AttemptClosed(_) => "attempt_closed",
            AppError::TooLarge(_) => "body_too_large",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Refused {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(Invalid::new(field, message))
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::Conflict("That already exists.".to_owned()),
            StoreError::Db(e) => AppError::Internal(e.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// How many lines have problems (a line can have several).
pub fn bad_rows(errors: &[RowError]) -> usize {
    let mut lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    lines.len()
}
